import type { Clock } from '../core/clock.ts';

// How long a successful key lookup is answered from memory. A key revoked through this process
// is forgotten at once (`evictAll`); one revoked by ANOTHER process on the same PostgreSQL keeps
// working here for at most this long. One second removes all but one lookup a second per key
// (the lookup was a query on every request: ~0.4 ms of Node CPU, bench/results).
export const API_KEY_CACHE_TTL_MS = 1_000;
// Only keys that authenticated are kept, so the size follows live keys, not guesses; the bound
// stops a process with very many active keys from growing without limit (oldest dropped first).
const MAX_ENTRIES = 10_000;

/** What a key authenticates as. */
export interface CachedKey {
  keyId: string;
  orgId: string;
}

interface Entry {
  key: CachedKey;
  /** The key's own `expires_at` (ms), checked on every hit: an expired key is refused on time. */
  expiresAtMs: number | null;
  /** When this entry stops being trusted (ms). */
  staleAtMs: number;
}

/**
 * API-key lookups of one process, by key hash, for `API_KEY_CACHE_TTL_MS`. Every `Store` of the
 * process (transaction stores included) shares one, so a revocation anywhere in the process evicts.
 * A lookup that started before an eviction does not refill the cache (`ticket`/`set`), so a key
 * read just before its revocation committed cannot be cached after it.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = API_KEY_CACHE_TTL_MS,
  ) {}

  /** The key for this hash if cached, fresh and not past its own expiry. */
  get(hash: string): CachedKey | undefined {
    const e = this.entries.get(hash);
    if (!e) return undefined;
    const now = this.clock.now();
    if (now >= e.staleAtMs || (e.expiresAtMs !== null && now >= e.expiresAtMs)) {
      this.entries.delete(hash);
      return undefined;
    }
    return e.key;
  }

  /** Taken before a database lookup and handed to `set`. */
  ticket(): number {
    return this.generation;
  }

  /** Caches a successful lookup, unless an eviction happened since `ticket`. */
  set(hash: string, key: CachedKey, expiresAtMs: number | null, ticket: number): void {
    if (ticket !== this.generation || this.ttlMs <= 0) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, { key, expiresAtMs, staleAtMs: this.clock.now() + this.ttlMs });
  }

  /** Forgets every key (a revocation): the next request of each key asks the database. */
  evictAll(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Changes with every eviction (Store.transaction evicts again after a commit that revoked). */
  get evictions(): number {
    return this.generation;
  }
}
