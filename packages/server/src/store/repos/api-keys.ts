import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newId } from '../../core/ids.ts';
import { NotFoundError } from '../../core/errors.ts';
import type { RepoDeps } from '../store.ts';
import type { ApiKeysTable } from '../schema.ts';
import { keysetPage, type Page, type PageRequest } from '../pagination.ts';

const KEY_PREFIX = 'sk_live_';
// Display prefix length fixed by api.md: "the first 12 characters, for recognising it".
const DISPLAY_PREFIX_CHARS = 12;
// last_used_at is written at most once a minute per key so reads do not turn into writes.
const TOUCH_INTERVAL_MS = 60_000;

/** SHA-256 of a high-entropy key: the only form stored (data-stack.md §5). */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface AuthenticatedKey {
  keyId: string;
  orgId: string;
}

export class ApiKeyRepo {
  constructor(private readonly d: RepoDeps) {}

  /** Creates a key; the secret is returned once and never stored. */
  async create(orgId: string, name: string, expiresAt: Date | null): Promise<{ row: ApiKeysTable; secret: string }> {
    const secret = KEY_PREFIX + randomBytes(30).toString('base64url');
    const row: ApiKeysTable = {
      id: newId('key'),
      org_id: orgId,
      name,
      prefix: secret.slice(0, DISPLAY_PREFIX_CHARS),
      key_hash: hashApiKey(secret),
      created_at: new Date(this.d.clock.now()),
      last_used_at: null,
      expires_at: expiresAt,
      revoked_at: null,
    };
    await this.d.db.insertInto('api_keys').values(row).execute();
    return { row, secret };
  }

  /**
   * The key's organisation, or null for unknown, revoked and expired keys. A key that
   * authenticated is answered from the process's cache for up to API_KEY_CACHE_TTL_MS (its
   * expiry still checked on every request; `revoke` evicts at once).
   */
  async authenticate(secret: string): Promise<AuthenticatedKey | null> {
    if (!secret.startsWith(KEY_PREFIX) || secret.length > 200) return null;
    const hash = hashApiKey(secret);
    const cached = this.d.apiKeyCache.get(hash);
    if (cached) return cached;
    const ticket = this.d.apiKeyCache.ticket();
    const row = await this.d.db.selectFrom('api_keys').select(['id', 'org_id', 'key_hash', 'last_used_at', 'expires_at', 'revoked_at']).where('key_hash', '=', hash).executeTakeFirst();
    if (!row) return null;
    // Constant-time comparison of the stored hash, belt and braces after the index lookup.
    if (!timingSafeEqual(Buffer.from(row.key_hash, 'hex'), Buffer.from(hash, 'hex'))) return null;
    const now = this.d.clock.now();
    if (row.revoked_at || (row.expires_at && row.expires_at.getTime() <= now)) return null;
    if (!row.last_used_at || now - row.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
      await this.d.db.updateTable('api_keys').set({ last_used_at: new Date(now) }).where('id', '=', row.id).execute();
    }
    const key = { keyId: row.id, orgId: row.org_id };
    this.d.apiKeyCache.set(hash, key, row.expires_at?.getTime() ?? null, ticket);
    return key;
  }

  async list(orgId: string, page: PageRequest): Promise<Page<ApiKeysTable>> {
    let q = this.d.db.selectFrom('api_keys').selectAll().where('org_id', '=', orgId);
    return keysetPage(q, page);
  }

  /**
   * Revokes at once in this process; other processes on the same PostgreSQL stop accepting the
   * key within API_KEY_CACHE_TTL_MS. Revoking twice keeps the first time.
   */
  async revoke(orgId: string, id: string): Promise<ApiKeysTable> {
    const now = new Date(this.d.clock.now());
    await this.d.db.updateTable('api_keys').set({ revoked_at: now }).where('org_id', '=', orgId).where('id', '=', id).where('revoked_at', 'is', null).execute();
    // Immediate in this process: the next request with this key asks the database again.
    this.d.apiKeyCache.evictAll();
    const row = await this.d.db.selectFrom('api_keys').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError('api key', id);
    return row;
  }
}
