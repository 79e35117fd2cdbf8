import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '@callingbox/testkit';
import { snapshotOf } from '../../packages/server/src/calls/snapshot.ts';

/**
 * Regression: `returns` came back with its keys sorted shortest first (jsonb's order), so the
 * intake dialogue asked the demo's "reason" before the "caller_name" its greeting asked for.
 * The order the author wrote is kept on the agent, its versions and the call's snapshot.
 */
let t: TestPlatform;
beforeAll(async () => {
  t = await createTestPlatform();
}, 60_000);
afterAll(async () => t.close());

const RETURNS = { caller_name: 'string', reason: 'string', callback_number: 'phone', z: { type: 'object', properties: { longer_name: 'date', b: 'email' } } };

describe('returns keeps its key order', () => {
  it('on the agent, its versions and the call snapshot', async () => {
    const agent = (await t.api('POST', '/v1/agents', { name: 'Ordered', type: 'inbound', returns: RETURNS })).body;
    const keys = (o: Record<string, unknown>) => JSON.stringify(o, (_k, v: unknown) => v);
    expect(keys((await t.api('GET', `/v1/agents/${agent.id}`)).body.returns)).toBe(JSON.stringify(RETURNS));
    await t.api('PATCH', `/v1/agents/${agent.id}`, { instructions: 'v2' });
    const versions = (await t.api('GET', `/v1/agents/${agent.id}/versions`)).body.data as Array<{ config: { returns: unknown } }>;
    for (const v of versions) expect(JSON.stringify(v.config.returns)).toBe(JSON.stringify(RETURNS));
    const row = await t.platform.store.agents.get(t.orgId, agent.id);
    const call = await t.platform.store.calls.insert({ org_id: t.orgId, direction: 'inbound', to_number: '+14155550100', status: 'ringing', snapshot: snapshotOf(row, { maxCallSeconds: 60, recording: false, stt: 'local', llm: 'local', llmModel: undefined, tts: 'local', extractionLlm: 'local' }) as never });
    expect(JSON.stringify((await t.platform.store.calls.getAny(call.id)).snapshot.returns)).toBe(JSON.stringify(RETURNS));
    expect(JSON.stringify((await t.api('GET', `/v1/calls/${call.id}`)).body.returns)).toBe(JSON.stringify(RETURNS));
    const [listed] = (await t.api('GET', '/v1/calls?limit=1')).body;
    expect(JSON.stringify(listed.returns)).toBe(JSON.stringify(RETURNS));
  });
});
