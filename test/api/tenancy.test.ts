import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '@callingbox/testkit';

/** Nothing crosses organisations: lists, reads, updates and deletes of another org's ids are 404s. */
let t: TestPlatform;
let other: { orgId: string; apiKey: string };
const theirs: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestPlatform();
  other = await t.newOrg('Acme');
  const as = { key: other.apiKey };
  const num = (await t.api('POST', '/v1/numbers/purchase', { phone_number: '+12125550111' }, as)).body;
  const agent = (await t.api('POST', '/v1/agents', { name: 'Theirs', type: 'inbound', number_ids: [num.id] }, as)).body;
  const trunk = (await t.api('POST', '/v1/sip_trunks', { name: 'Their trunk', auth_username: 'u', auth_password: 'p' }, as)).body;
  const endpoint = (await t.api('POST', '/v1/webhook_endpoints', { url: 'https://acme.example/hook' }, as)).body;
  const key = (await t.api('POST', '/v1/api_keys', { name: 'theirs' }, as)).body;
  const call = await t.platform.store.calls.insert({ org_id: other.orgId, agent_id: agent.id, direction: 'inbound', to_number: num.e164, from_number: '+13105550100', status: 'completed' });
  await t.platform.store.calls.addEvent(call, 'status', { from: 'ringing', to: 'completed' });
  const delivery = await t.platform.store.webhooks.insertDelivery({ org_id: other.orgId, endpoint_id: endpoint.id, call_id: call.id, event_type: 'call.completed', url: endpoint.url, payload: null, status: 'exhausted', attempt_count: 8, manual_retry_count: 0, next_attempt_at: null, last_error: '500', last_response_status: 500, delivered_at: null, locked_until: null, locked_by: null });
  Object.assign(theirs, { agent: agent.id, number: num.id, trunk: trunk.id, endpoint: endpoint.id, key: key.id, call: call.id, delivery: delivery.id });
  // Some of our own, so lists are not trivially empty.
  await t.api('POST', '/v1/agents', { name: 'Ours', type: 'outbound' });
  await t.platform.store.calls.insert({ org_id: t.orgId, direction: 'outbound', to_number: '+13105550101', status: 'queued' });
}, 60_000);
afterAll(async () => t.close());

describe('tenancy', () => {
  it('lists show only our own rows', async () => {
    const lists: Array<[string, (b: any) => Array<{ id: string }>]> = [
      ['/v1/agents?include_archived=true', (b) => b.data],
      ['/v1/numbers?status=active,released', (b) => b],
      ['/v1/sip_trunks', (b) => b.data],
      ['/v1/webhook_endpoints', (b) => b.data],
      ['/v1/webhook_deliveries', (b) => b.data],
      ['/v1/api_keys', (b) => b.data],
      ['/v1/calls', (b) => b],
    ];
    const theirIds = new Set(Object.values(theirs));
    for (const [path, pick] of lists) {
      const r = await t.api('GET', path);
      expect(r.status, path).toBe(200);
      for (const row of pick(r.body)) expect(theirIds.has(row.id), `${path} leaked ${row.id}`).toBe(false);
    }
    const calls = (await t.api('GET', `/v1/calls?agent_id=${theirs.agent}`)).body;
    expect(calls).toEqual([]);
    const usage = (await t.api('GET', '/v1/usage')).body.data;
    expect(usage.every((u: { direction: string }) => u.direction === 'outbound')).toBe(true);
  });

  it.each([
    ['GET', () => `/v1/agents/${theirs.agent}`],
    ['GET', () => `/v1/agents/${theirs.agent}/versions`],
    ['PATCH', () => `/v1/agents/${theirs.agent}`, { name: 'pwned' }],
    ['DELETE', () => `/v1/agents/${theirs.agent}`],
    ['POST', () => `/v1/agents/${theirs.agent}/numbers`, { number_id: 'x' }],
    ['DELETE', () => `/v1/agents/${theirs.agent}/numbers/${theirs.number}`],
    ['PUT', () => `/v1/agents/${theirs.agent}/primary-number`, { number_id: 'x' }],
    ['GET', () => `/v1/numbers/${theirs.number}`],
    ['PATCH', () => `/v1/numbers/${theirs.number}`, { friendly_name: 'pwned' }],
    ['DELETE', () => `/v1/numbers/${theirs.number}`],
    ['GET', () => `/v1/sip_trunks/${theirs.trunk}`],
    ['PATCH', () => `/v1/sip_trunks/${theirs.trunk}`, { name: 'pwned' }],
    ['DELETE', () => `/v1/sip_trunks/${theirs.trunk}`],
    ['GET', () => `/v1/webhook_endpoints/${theirs.endpoint}`],
    ['PATCH', () => `/v1/webhook_endpoints/${theirs.endpoint}`, { url: 'https://evil.example' }],
    ['DELETE', () => `/v1/webhook_endpoints/${theirs.endpoint}`],
    ['POST', () => `/v1/webhook_endpoints/${theirs.endpoint}/rotate_secret`],
    ['GET', () => `/v1/webhook_deliveries/${theirs.delivery}`],
    ['POST', () => `/v1/webhook_deliveries/${theirs.delivery}/redeliver`],
    ['DELETE', () => `/v1/api_keys/${theirs.key}`],
    ['GET', () => `/v1/calls/${theirs.call}`],
    ['GET', () => `/v1/calls/${theirs.call}/transcript`],
    ['GET', () => `/v1/calls/${theirs.call}/events`],
  ] as Array<[string, () => string, unknown?]>)('%s %s is a 404', async (method, path, body) => {
    const r = await t.api(method, path(), body);
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('not_found');
  });

  it("our agent cannot take another organisation's number", async () => {
    const ours = (await t.api('POST', '/v1/agents', { name: 'Grabber', type: 'inbound' })).body;
    expect((await t.api('POST', `/v1/agents/${ours.id}/numbers`, { number_id: theirs.number })).status).toBe(404);
    expect((await t.api('POST', '/v1/agents', { name: 'Grabber', type: 'inbound', number_ids: [theirs.number] })).status).toBe(404);
    expect((await t.api('POST', '/v1/numbers/import', { phone_number: '+14155550190', carrier: 'sip', sip_trunk_id: theirs.trunk })).body.param).toBe('sip_trunk_id');
  });

  it('after all those attempts their rows are unchanged', async () => {
    const as = { key: other.apiKey };
    const agent = (await t.api('GET', `/v1/agents/${theirs.agent}`, undefined, as)).body;
    expect(agent).toMatchObject({ name: 'Theirs', archived_at: null, version: 1 });
    expect(agent.numbers.map((n: { id: string }) => n.id)).toEqual([theirs.number]);
    expect((await t.api('GET', `/v1/numbers/${theirs.number}`, undefined, as)).body.status).toBe('active');
    expect((await t.api('GET', `/v1/sip_trunks/${theirs.trunk}`, undefined, as)).body.name).toBe('Their trunk');
    expect((await t.api('GET', `/v1/webhook_endpoints/${theirs.endpoint}`, undefined, as)).body.url).toBe('https://acme.example/hook');
    expect((await t.api('GET', `/v1/webhook_deliveries/${theirs.delivery}`, undefined, as)).body.manual_retry_count).toBe(0);
    const keys = (await t.api('GET', '/v1/api_keys', undefined, as)).body.data;
    expect(keys.find((k: { id: string }) => k.id === theirs.key).revoked_at).toBeNull();
  });

  it('each organisation has its own webhook secret', async () => {
    const a = (await t.api('GET', '/v1/webhook_secret')).body.secret;
    const b = (await t.api('GET', '/v1/webhook_secret', undefined, { key: other.apiKey })).body.secret;
    expect(a).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
  });
});
