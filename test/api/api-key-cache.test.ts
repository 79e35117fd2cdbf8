import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, FakeClock, type TestPlatform } from '@callingbox/testkit';
import { API_KEY_CACHE_TTL_MS } from '../../packages/server/src/store/api-key-cache.ts';
import { hashApiKey } from '../../packages/server/src/store/repos/api-keys.ts';
import { Store } from '../../packages/server/src/store/store.ts';

/**
 * API-key lookups are cached per process for API_KEY_CACHE_TTL_MS. Revocation through a process
 * is immediate in that process; a second Store with its own cache over the same database stands
 * for a second server process on the same PostgreSQL, which sees the revocation within the TTL.
 */
let t: TestPlatform;
const clock = new FakeClock(Date.now());
beforeAll(async () => {
  t = await createTestPlatform({ clock });
});
afterAll(async () => t.close());

describe('API-key lookup cache', () => {
  it('revocation is immediate in this process even with the key cached; another process follows within the TTL', async () => {
    const created = (await t.api('POST', '/v1/api_keys', { name: 'cached' })).body as { id: string; secret: string };
    const otherProcess = new Store(t.platform.store.db, clock);
    expect(await otherProcess.apiKeys.authenticate(created.secret)).toMatchObject({ keyId: created.id });
    for (let i = 0; i < 3; i++) expect((await t.api('GET', '/v1/calls', undefined, { key: created.secret })).status).toBe(200);

    expect((await t.api('DELETE', `/v1/api_keys/${created.id}`)).status).toBe(200);
    expect((await t.api('GET', '/v1/calls', undefined, { key: created.secret })).status).toBe(401);
    expect(await t.platform.store.apiKeys.authenticate(created.secret)).toBeNull();

    // The other process still holds its cached lookup, for at most the TTL.
    expect(await otherProcess.apiKeys.authenticate(created.secret)).toMatchObject({ keyId: created.id });
    await clock.advance(API_KEY_CACHE_TTL_MS);
    expect(await otherProcess.apiKeys.authenticate(created.secret)).toBeNull();
  });

  it('a revocation inside a transaction evicts again after the commit', async () => {
    const created = (await t.api('POST', '/v1/api_keys', { name: 'in a transaction' })).body as { id: string; secret: string };
    const store = t.platform.store;
    await store.transaction(async (s) => {
      await s.apiKeys.revoke(t.orgId, created.id);
      // Before the commit, a lookup on another connection still reads the key and caches it
      // (simulated: PGlite has a single connection, which the transaction holds).
      store.apiKeyCache.set(hashApiKey(created.secret), { keyId: created.id, orgId: t.orgId }, null, store.apiKeyCache.ticket());
    });
    expect(await store.apiKeys.authenticate(created.secret)).toBeNull();
  });

  it('a cached key is refused from its expires_at on', async () => {
    const created = (await t.api('POST', '/v1/api_keys', { name: 'short', expires_at: new Date(clock.now() + 60_000).toISOString() })).body as { secret: string };
    expect((await t.api('GET', '/v1/calls', undefined, { key: created.secret })).status).toBe(200);
    await clock.advance(59_999);
    // Refreshed from the database (the TTL passed), cached again until the key's own expiry.
    expect((await t.api('GET', '/v1/calls', undefined, { key: created.secret })).status).toBe(200);
    await clock.advance(1);
    expect((await t.api('GET', '/v1/calls', undefined, { key: created.secret })).status).toBe(401);
  });
});
