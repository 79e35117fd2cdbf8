import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '@callingbox/testkit';

/**
 * Property: no request body, however hostile, makes a POST/PUT/PATCH route answer 5xx or leak a
 * stack trace. Routes come from the OpenAPI document, so a new route is fuzzed without editing this.
 */
let t: TestPlatform;
let routes: Array<{ method: string; path: string; schema: unknown }>;
let ids: Record<string, string>;

beforeAll(async () => {
  t = await createTestPlatform();
  const doc = (await t.api('GET', '/v1/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: unknown } } } }>> };
  routes = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of ['post', 'put', 'patch']) {
      if (ops[method]) routes.push({ method: method.toUpperCase(), path, schema: ops[method]!.requestBody?.content['application/json'].schema });
    }
  }
  const num = (await t.api('POST', '/v1/numbers/purchase', { phone_number: '+14155550150' })).body;
  const agent = (await t.api('POST', '/v1/agents', { name: 'Fuzz', type: 'inbound', number_ids: [num.id] })).body;
  const trunk = (await t.api('POST', '/v1/sip_trunks', { name: 'T' })).body;
  const endpoint = (await t.api('POST', '/v1/webhook_endpoints', { url: 'https://example.com/h' })).body;
  const call = await t.platform.store.calls.insert({ org_id: t.orgId, direction: 'inbound', to_number: num.e164, status: 'completed', agent_id: agent.id });
  const delivery = await t.platform.store.webhooks.insertDelivery({ org_id: t.orgId, endpoint_id: endpoint.id, call_id: call.id, event_type: 'call.completed', url: 'https://example.com/h', payload: {}, status: 'delivered', attempt_count: 1, manual_retry_count: 0, next_attempt_at: null, last_error: null, last_response_status: 200, delivered_at: new Date(), locked_until: null, locked_by: null });
  ids = { '/v1/agents/': agent.id, '/v1/numbers/': num.id, '/v1/sip_trunks/': trunk.id, '/v1/webhook_endpoints/': endpoint.id, '/v1/webhook_deliveries/': delivery.id, '/v1/calls/': call.id };
}, 120_000);
afterAll(async () => t.close());

function concretePath(path: string, useRealIds: boolean): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!useRealIds) return 'x_fuzz';
    if (name === 'number_id') return ids['/v1/numbers/']!;
    const prefix = Object.keys(ids).find((p) => path.startsWith(p));
    return prefix ? ids[prefix]! : 'x_fuzz';
  });
}

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(null, '', -1, 1e308, '\u0000', '𝕏'.repeat(300), '+1415555012', [], {}, { type: 'object' }, 'inbound', 'http://127.0.0.1/', true),
);

describe('every mutating route survives random JSON', () => {
  it('finds routes to fuzz', () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
  });

  it('answers only 2xx/4xx with the error body, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        fc.oneof(
          fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('name', 'type', 'number_id', 'phone_number', 'url', 'returns', 'tools', 'settings', 'status', 'enabled_events', 'inbound_addresses', 'expires_at', 'carrier', 'sip_trunk_id', 'friendly_name')), hostileValue, { maxKeys: 6 }),
          hostileValue,
        ),
        async (routeIndex, realIds, body) => {
          const r = routes[routeIndex % routes.length]!;
          const res = await t.api(r.method, concretePath(r.path, realIds), body);
          expect(res.status, `${r.method} ${r.path} ${JSON.stringify(body).slice(0, 300)}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.body).toMatchObject({ error: expect.any(String), code: expect.any(String) });
            expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+|node_modules/);
          }
        },
      ),
      { numRuns: 400 },
    );
  }, 240_000);

  it('raw garbage bodies are 400s', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), fc.string({ maxLength: 200 }), async (routeIndex, raw) => {
        const r = routes[routeIndex % routes.length]!;
        const res = await t.api(r.method, concretePath(r.path, true), undefined, { raw });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
