import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { ValidationError } from '../../core/errors.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { dataList } from '../list-response.ts';
import { jsonBody, responses, route } from '../openapi-route.ts';
import { Cursor, IdParam, Limit, listOf } from '../schemas/common.ts';
import { ApiKey, ApiKeyCreateBody, SipTrunk, TrunkCreateBody, TrunkPatchBody, UsageRow } from '../schemas/misc.ts';
import { apiKeyView, trunkView } from '../views.ts';

const PageQuery = z.strictObject({ limit: Limit, cursor: Cursor });
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC day such as 2026-11-24').refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'not a real date');
const UsageQuery = z.strictObject({ from: Day.optional(), to: Day.optional() });
const DAY_MS = 86_400_000;
// api.md → Usage: "default the last 30 days".
const DEFAULT_USAGE_DAYS = 30;
const MAX_USAGE_DAYS = 366;

/** SIP trunks, API keys and usage: the organisation's account resources. */
export function registerAccountRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { store, clock } = deps;

  app.openapi(route({ method: 'post', path: '/v1/sip_trunks', tags: ['SIP trunks'], summary: 'Create a SIP trunk', request: { body: jsonBody(TrunkCreateBody) }, responses: responses(SipTrunk, 201) }), async (c) => {
    const b = c.req.valid('json');
    const row = await store.sipTrunks.create(c.get('orgId'), { name: b.name, inbound_addresses: b.inbound_addresses, auth_username: b.auth_username ?? null, auth_password: b.auth_password ?? null, outbound_uri: b.outbound_uri ?? null });
    return c.json(trunkView(row), 201);
  });
  app.openapi(route({ method: 'get', path: '/v1/sip_trunks', tags: ['SIP trunks'], summary: 'List SIP trunks', request: { query: PageQuery }, responses: responses(listOf(SipTrunk, 'SipTrunkList')) }), async (c) => {
    const q = c.req.valid('query');
    return c.json(dataList(c, await store.sipTrunks.list(c.get('orgId'), { limit: q.limit, cursor: q.cursor, filters: {} }), trunkView), 200);
  });
  app.openapi(route({ method: 'get', path: '/v1/sip_trunks/{id}', tags: ['SIP trunks'], summary: 'Retrieve a SIP trunk', request: { params: IdParam }, responses: responses(SipTrunk) }), async (c) => {
    return c.json(trunkView(await store.sipTrunks.get(c.get('orgId'), c.req.valid('param').id)), 200);
  });
  app.openapi(route({ method: 'patch', path: '/v1/sip_trunks/{id}', tags: ['SIP trunks'], summary: 'Update a SIP trunk', request: { params: IdParam, body: jsonBody(TrunkPatchBody) }, responses: responses(SipTrunk) }), async (c) => {
    return c.json(trunkView(await store.sipTrunks.update(c.get('orgId'), c.req.valid('param').id, c.req.valid('json') as never)), 200);
  });
  app.openapi(route({ method: 'delete', path: '/v1/sip_trunks/{id}', tags: ['SIP trunks'], summary: 'Delete a SIP trunk no number uses', request: { params: IdParam }, responses: responses(SipTrunk) }), async (c) => {
    return c.json(trunkView(await store.sipTrunks.delete(c.get('orgId'), c.req.valid('param').id)), 200);
  });

  app.openapi(route({ method: 'post', path: '/v1/api_keys', tags: ['API keys'], summary: 'Create an API key (secret shown once)', request: { body: jsonBody(ApiKeyCreateBody) }, responses: responses(ApiKey, 201) }), async (c) => {
    const b = c.req.valid('json');
    let expiresAt: Date | null = null;
    if (b.expires_at) {
      expiresAt = new Date(b.expires_at);
      if (Number.isNaN(expiresAt.getTime())) throw new ValidationError('expires_at must be an ISO 8601 time.', 'expires_at');
      if (expiresAt.getTime() <= clock.now()) throw new ValidationError('expires_at must be in the future.', 'expires_at');
    }
    const { row, secret } = await store.apiKeys.create(c.get('orgId'), b.name, expiresAt);
    return c.json({ ...apiKeyView(row), secret }, 201);
  });
  app.openapi(route({ method: 'get', path: '/v1/api_keys', tags: ['API keys'], summary: 'List API keys', request: { query: PageQuery }, responses: responses(listOf(ApiKey, 'ApiKeyList')) }), async (c) => {
    const q = c.req.valid('query');
    return c.json(dataList(c, await store.apiKeys.list(c.get('orgId'), { limit: q.limit, cursor: q.cursor, filters: {} }), apiKeyView), 200);
  });
  app.openapi(route({ method: 'delete', path: '/v1/api_keys/{id}', tags: ['API keys'], summary: 'Revoke an API key at once', request: { params: IdParam }, responses: responses(ApiKey) }), async (c) => {
    return c.json(apiKeyView(await store.apiKeys.revoke(c.get('orgId'), c.req.valid('param').id)), 200);
  });

  app.openapi(route({ method: 'get', path: '/v1/usage', tags: ['Usage'], summary: 'Calls and minutes per UTC day and direction', request: { query: UsageQuery }, responses: responses(z.object({ data: z.array(UsageRow) }).openapi('Usage')) }), async (c) => {
    const q = c.req.valid('query');
    const today = Math.floor(clock.now() / DAY_MS) * DAY_MS;
    const to = q.to ? Date.parse(`${q.to}T00:00:00Z`) : today;
    const from = q.from ? Date.parse(`${q.from}T00:00:00Z`) : to - (DEFAULT_USAGE_DAYS - 1) * DAY_MS;
    if (from > to) throw new ValidationError('from must not be after to.', 'from');
    if ((to - from) / DAY_MS >= MAX_USAGE_DAYS) throw new ValidationError(`At most ${MAX_USAGE_DAYS} days per request.`, 'from');
    const rows = await store.calls.usage(c.get('orgId'), new Date(from), new Date(to + DAY_MS));
    return c.json({ data: rows.map((r) => ({ ...r, minutes: Math.round((r.billed_seconds / 60) * 100) / 100 })) }, 200);
  });
}
