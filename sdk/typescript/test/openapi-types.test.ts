/**
 * The SDK against the server's OpenAPI document (src/generated/, `npm run -w callingbox generate`):
 * every operation the document lists has an SDK method that calls it with the right HTTP method,
 * list filters match the document's query parameters, and request bodies the SDK types allow are
 * bodies the document accepts. Type-level checks run with `npm run -w callingbox typecheck`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { paths } from '../src/generated/openapi.js';
import { CallingBox } from '../src/index.js';
import type {
  AgentCreateParams, AgentListParams, AgentUpdateParams, CallListParams, ListParams, NumberListParams, NumberSearchParams,
  Schemas, UsageParams, WebhookDeliveryListParams,
} from '../src/index.js';
import { type FakeServer, startFakeServer } from './fake-server.js';

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>>;
}
const documentPath = join(dirname(fileURLToPath(import.meta.url)), '../src/generated/openapi.json');
const document = JSON.parse(readFileSync(documentPath, 'utf8')) as OpenApiDocument;

/** Routes of the spec the SDK calls that the server's document does not list (yet). */
const NOT_YET_IN_DOCUMENT = new Set([
  'POST /v1/calls',
  'POST /v1/calls/{id}/hangup',
  'DELETE /v1/calls/{id}',
  'GET /v1/calls/{id}/recording',
  'POST /v1/web_calls',
  'GET /v1/events/stream',
]);

/** Every SDK method, called once. */
async function callEverything(client: CallingBox): Promise<void> {
  const id = 'x_1';
  const calls: Array<Promise<unknown>> = [
    client.agents.create({ name: 'a', type: 'inbound' }),
    client.agents.retrieve(id),
    client.agents.list(),
    client.agents.update(id, { name: 'b' }),
    client.agents.archive(id),
    client.agents.attachNumber(id, { number_id: 'pn_1' }),
    client.agents.detachNumber(id, 'pn_1'),
    client.agents.setPrimaryNumber(id, 'pn_1'),
    client.agents.versions(id),
    client.numbers.searchAvailable(),
    client.numbers.purchase('+14155550100'),
    client.numbers.list(),
    client.numbers.retrieve(id),
    client.numbers.importNumber({ phone_number: '+14155550100', carrier: 'sip' }),
    client.numbers.update(id, { friendly_name: 'x' }),
    client.numbers.release(id),
    client.sipTrunks.create({ name: 't', inbound_addresses: [] }),
    client.sipTrunks.list(),
    client.sipTrunks.retrieve(id),
    client.sipTrunks.update(id, { name: 'u' }),
    client.sipTrunks.delete(id),
    client.calls.create({ agent_id: 'ag_1', to: '+14155550100' }),
    client.calls.retrieve(id),
    client.calls.list(),
    client.calls.transcript(id),
    client.calls.events(id),
    client.calls.hangup(id),
    client.calls.extract(id),
    client.calls.redact(id),
    client.calls.recording(id),
    client.webCalls.create({ agent_id: 'ag_1' }),
    client.voices.list(),
    client.usage.retrieve(),
    client.apiKeys.create({ name: 'k' }),
    client.apiKeys.list(),
    client.apiKeys.revoke(id),
    client.webhookEndpoints.create({ url: 'https://x.test' }),
    client.webhookEndpoints.list(),
    client.webhookEndpoints.retrieve(id),
    client.webhookEndpoints.update(id, { status: 'enabled' }),
    client.webhookEndpoints.delete(id),
    client.webhookEndpoints.rotateSecret(id),
    client.webhookDeliveries.list(),
    client.webhookDeliveries.retrieve(id),
    client.webhookDeliveries.redeliver(id),
    client.webhookSecret.retrieve(),
    client.webhookSecret.rotate(),
    client.health(),
  ];
  await Promise.all(calls.map((p) => Promise.resolve(p)));
  const stream = client.events.stream({ reconnect: false });
  for await (const _event of stream) break;
}

function templateOf(pathname: string): string {
  return pathname
    .replace(/\/x_1(?=\/|$)/g, '/{id}')
    .replace(/\/numbers\/pn_1$/, '/numbers/{number_id}');
}

let server: FakeServer;
const sdkOperations = new Set<string>();

beforeAll(async () => {
  server = await startFakeServer((req) => {
    if (req.url.pathname === '/v1/events/stream') return { status: 200, headers: { 'content-type': 'text/event-stream' }, text: '' };
    return { status: 200, json: { data: [] } };
  });
  await callEverything(new CallingBox({ apiKey: 'sk_test', baseUrl: server.url, maxRetries: 0 }));
  for (const req of server.requests) sdkOperations.add(`${req.method} ${templateOf(req.url.pathname)}`);
});
afterAll(async () => {
  await server.close();
});

describe('the SDK and the OpenAPI document', () => {
  const documentOperations = Object.entries(document.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));

  it('has a method for every operation of the document', () => {
    const missing = documentOperations.filter((op) => !sdkOperations.has(op));
    expect(missing).toEqual([]);
  });

  it('calls nothing that is neither in the document nor a known spec route', () => {
    const unknown = [...sdkOperations].filter((op) => !documentOperations.includes(op) && !NOT_YET_IN_DOCUMENT.has(op));
    expect(unknown).toEqual([]);
  });

  it.each([
    ['/v1/agents', ['type', 'include_archived', 'limit', 'cursor']],
    ['/v1/numbers', ['status', 'limit', 'cursor']],
    ['/v1/numbers/available', ['country_code', 'area_code', 'number_type', 'carrier', 'limit']],
    ['/v1/calls', ['direction', 'agent_id', 'status', 'to_number', 'from_number', 'created_after', 'created_before', 'limit', 'cursor']],
    ['/v1/webhook_deliveries', ['endpoint_id', 'call_id', 'status', 'limit', 'cursor']],
    ['/v1/usage', ['from', 'to']],
  ] as const)('%s takes the query parameters the SDK sends', (path, sdkParams) => {
    const documented = (document.paths[path]?.get?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    expect([...documented].sort()).toEqual([...sdkParams].sort());
  });
});

type Query<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;
type Body<P extends keyof paths, M extends 'post' | 'patch' | 'put'> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

describe('types (checked by tsc)', () => {
  it('list filters have the document\'s query parameter names', () => {
    expectTypeOf<keyof AgentListParams>().toEqualTypeOf<keyof Query<'/v1/agents'>>();
    expectTypeOf<keyof NumberListParams>().toEqualTypeOf<keyof Query<'/v1/numbers'>>();
    expectTypeOf<keyof NumberSearchParams>().toEqualTypeOf<keyof Query<'/v1/numbers/available'>>();
    expectTypeOf<keyof CallListParams>().toEqualTypeOf<keyof Query<'/v1/calls'>>();
    expectTypeOf<keyof WebhookDeliveryListParams>().toEqualTypeOf<keyof Query<'/v1/webhook_deliveries'>>();
    expectTypeOf<keyof UsageParams>().toEqualTypeOf<keyof Query<'/v1/usage'>>();
    expectTypeOf<keyof ListParams>().toEqualTypeOf<keyof Query<'/v1/sip_trunks'>>();
  });

  it('request bodies have the document\'s field names', () => {
    expectTypeOf<keyof AgentCreateParams>().toEqualTypeOf<keyof Body<'/v1/agents', 'post'>>();
    expectTypeOf<keyof AgentUpdateParams>().toEqualTypeOf<Exclude<keyof Body<'/v1/agents/{id}', 'patch'>, 'type'>>();
    expectTypeOf<Schemas['Agent']['type']>().toEqualTypeOf<'inbound' | 'outbound'>();
  });
});
