import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../core/clock.ts';
import type { Database } from './schema.ts';
import { ApiKeyCache } from './api-key-cache.ts';
import { OrgRepo } from './repos/orgs.ts';
import { ApiKeyRepo } from './repos/api-keys.ts';
import { AgentRepo } from './repos/agents.ts';
import { NumberRepo } from './repos/numbers.ts';
import { SipTrunkRepo } from './repos/sip-trunks.ts';
import { CallRepo } from './repos/calls.ts';
import { WebhookRepo } from './repos/webhooks.ts';
import { IdempotencyRepo } from './repos/idempotency.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

/** What every repository is built from. */
export interface RepoDeps {
  db: Executor;
  clock: Clock;
  /** The process's API-key lookups (shared by every Store of the process). */
  apiKeyCache: ApiKeyCache;
  /** Runs `fn` in a transaction (or inside the current one). */
  tx<T>(fn: (store: Store) => Promise<T>): Promise<T>;
}

/** The store: every repository over one executor, and transactions. */
export class Store {
  readonly orgs: OrgRepo;
  readonly apiKeys: ApiKeyRepo;
  readonly agents: AgentRepo;
  readonly numbers: NumberRepo;
  readonly sipTrunks: SipTrunkRepo;
  readonly calls: CallRepo;
  readonly webhooks: WebhookRepo;
  readonly idempotency: IdempotencyRepo;

  constructor(
    readonly db: Executor,
    readonly clock: Clock,
    readonly apiKeyCache: ApiKeyCache = new ApiKeyCache(clock),
  ) {
    const deps: RepoDeps = { db, clock, apiKeyCache, tx: (fn) => this.transaction(fn) };
    this.orgs = new OrgRepo(deps);
    this.apiKeys = new ApiKeyRepo(deps);
    this.agents = new AgentRepo(deps);
    this.numbers = new NumberRepo(deps);
    this.sipTrunks = new SipTrunkRepo(deps);
    this.calls = new CallRepo(deps);
    this.webhooks = new WebhookRepo(deps);
    this.idempotency = new IdempotencyRepo(deps);
  }

  /** Runs `fn` with a store bound to one transaction; nested calls join the outer transaction. */
  async transaction<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this);
    const evictions = this.apiKeyCache.evictions;
    try {
      return await (this.db as Kysely<Database>).transaction().execute((trx) => fn(new Store(trx, this.clock, this.apiKeyCache)));
    } finally {
      // A key revoked inside the transaction was evicted before the commit; a lookup in between
      // could have cached the old row, so evict again now that the revocation is visible.
      if (this.apiKeyCache.evictions !== evictions) this.apiKeyCache.evictAll();
    }
  }
}

/** PostgreSQL error helpers (both engines report the same SQLSTATE and constraint names). */
export function pgErrorCode(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}
export function pgConstraint(e: unknown): string | undefined {
  return (e as { constraint?: string } | null)?.constraint;
}
