import type { RepoDeps } from '../store.ts';

// api.md: "the same key with the same body within 24 h returns the first response".
const KEY_TTL_MS = 24 * 3600 * 1000;

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'conflict' }
  | { kind: 'in_progress' };

export class IdempotencyRepo {
  constructor(private readonly d: RepoDeps) {}

  /** Claims a key for a request, or says how an earlier request with that key decides this one. */
  async claim(orgId: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    const now = new Date(this.d.clock.now());
    await this.d.db.deleteFrom('idempotency_keys').where('org_id', '=', orgId).where('key', '=', key).where('created_at', '<', new Date(now.getTime() - KEY_TTL_MS)).execute();
    const inserted = await this.d.db
      .insertInto('idempotency_keys')
      .values({ org_id: orgId, key, request_hash: requestHash, state: 'running', response_status: null, response_body: null, created_at: now })
      .onConflict((oc) => oc.columns(['org_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return { kind: 'claimed' };
    const row = await this.d.db.selectFrom('idempotency_keys').selectAll().where('org_id', '=', orgId).where('key', '=', key).executeTakeFirst();
    if (!row) return this.claim(orgId, key, requestHash);
    if (row.request_hash !== requestHash) return { kind: 'conflict' };
    if (row.state === 'running') return { kind: 'in_progress' };
    return { kind: 'replay', status: row.response_status ?? 200, body: row.response_body ?? '' };
  }

  async complete(orgId: string, key: string, status: number, body: string): Promise<void> {
    await this.d.db.updateTable('idempotency_keys').set({ state: 'done', response_status: status, response_body: body }).where('org_id', '=', orgId).where('key', '=', key).execute();
  }

  /** Forgets a key whose request failed with a 5xx, so a retry runs again. */
  async release(orgId: string, key: string): Promise<void> {
    await this.d.db.deleteFrom('idempotency_keys').where('org_id', '=', orgId).where('key', '=', key).where('state', '=', 'running').execute();
  }
}
