import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { ConflictError, UnprocessableError, ValidationError } from '../../core/errors.ts';
import { countryOf } from '../../core/phone.ts';
import { DEFAULT_AREA_CODE, listSandboxNumbers, sandboxNumber } from '../../telephony/sandbox/inventory.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { setNextPageHeaders } from '../list-response.ts';
import { jsonBody, responses, route } from '../openapi-route.ts';
import { csvEnum, Cursor, IdParam, Limit } from '../schemas/common.ts';
import { AvailableNumber, AvailableQuery, ImportBody, NumberPatchBody, PhoneNumber, PurchaseBody } from '../schemas/number.ts';
import { numberViews } from '../views.ts';

const ListQuery = z.strictObject({ status: csvEnum(['active', 'released']), limit: Limit, cursor: Cursor });
const TOLL_FREE_AREA_CODE = '800';

export function registerNumberRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { store } = deps;
  const one = async (orgId: string, row: Parameters<typeof numberViews>[2][number]) => (await numberViews(store, orgId, [row]))[0]!;

  app.openapi(route({ method: 'get', path: '/v1/numbers/available', tags: ['Numbers'], summary: 'Search numbers to buy', request: { query: AvailableQuery }, responses: responses(z.array(AvailableNumber)) }), async (c) => {
    const q = c.req.valid('query');
    if (q.carrier === 'twilio') throw new UnprocessableError('Searching Twilio inventory needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN; the sandbox carrier needs nothing.', 'carrier');
    if (q.country_code && q.country_code.toUpperCase() !== 'US') return c.json([], 200);
    const areaCode = q.area_code ?? (q.number_type === 'toll_free' ? TOLL_FREE_AREA_CODE : DEFAULT_AREA_CODE);
    const taken = await store.numbers.activeWithPrefix(`+1${areaCode}`);
    return c.json(listSandboxNumbers({ areaCode, numberType: q.number_type, limit: q.limit, taken }), 200);
  });

  app.openapi(route({ method: 'post', path: '/v1/numbers/purchase', tags: ['Numbers'], summary: 'Buy a number', request: { body: jsonBody(PurchaseBody) }, responses: responses(PhoneNumber, 201) }), async (c) => {
    const b = c.req.valid('json');
    if (b.carrier === 'twilio') throw new UnprocessableError('Buying a Twilio number needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.', 'carrier');
    const entry = sandboxNumber(b.phone_number);
    if (!entry) throw new ConflictError(`${b.phone_number} is not available from the sandbox carrier; search GET /v1/numbers/available.`, 'conflict', 'phone_number');
    const row = await store.numbers.create(c.get('orgId'), {
      e164: b.phone_number, friendly_name: null, country_code: 'US', number_type: entry.number_type,
      carrier: 'sandbox', sip_trunk_id: null, monthly_cost_cents: entry.monthly_cost_cents,
    });
    return c.json(await one(c.get('orgId'), row) as never, 201);
  });

  app.openapi(route({ method: 'post', path: '/v1/numbers/import', tags: ['Numbers'], summary: 'Bring your own number', request: { body: jsonBody(ImportBody) }, responses: responses(PhoneNumber, 201) }), async (c) => {
    const b = c.req.valid('json');
    const orgId = c.get('orgId');
    if (b.sip_trunk_id) {
      await store.sipTrunks.get(orgId, b.sip_trunk_id).catch(() => {
        throw new ValidationError(`No such SIP trunk: '${b.sip_trunk_id}'.`, 'sip_trunk_id');
      });
    }
    const row = await store.numbers.create(orgId, {
      e164: b.phone_number, friendly_name: b.friendly_name ?? null, country_code: countryOf(b.phone_number),
      number_type: /^\+18(00|33|44|55|66|77|88)/.test(b.phone_number) ? 'toll_free' : 'local',
      carrier: b.carrier, sip_trunk_id: b.sip_trunk_id ?? null, monthly_cost_cents: 0,
    });
    return c.json(await one(orgId, row) as never, 201);
  });

  app.openapi(route({ method: 'get', path: '/v1/numbers', tags: ['Numbers'], summary: 'List numbers (bare array; next page in headers)', request: { query: ListQuery }, responses: responses(z.array(PhoneNumber)) }), async (c) => {
    const q = c.req.valid('query');
    const orgId = c.get('orgId');
    const status = q.status?.length ? q.status : (['active'] as Array<'active' | 'released'>);
    const page = await store.numbers.list(orgId, status, { limit: q.limit, cursor: q.cursor, filters: { status } });
    setNextPageHeaders(c, page.nextCursor);
    return c.json(await numberViews(store, orgId, page.items) as never, 200);
  });

  app.openapi(route({ method: 'get', path: '/v1/numbers/{id}', tags: ['Numbers'], summary: 'Retrieve a number', request: { params: IdParam }, responses: responses(PhoneNumber) }), async (c) => {
    const orgId = c.get('orgId');
    return c.json(await one(orgId, await store.numbers.get(orgId, c.req.valid('param').id)) as never, 200);
  });

  app.openapi(route({ method: 'patch', path: '/v1/numbers/{id}', tags: ['Numbers'], summary: 'Rename a number', request: { params: IdParam, body: jsonBody(NumberPatchBody) }, responses: responses(PhoneNumber) }), async (c) => {
    const orgId = c.get('orgId');
    return c.json(await one(orgId, await store.numbers.update(orgId, c.req.valid('param').id, c.req.valid('json'))) as never, 200);
  });

  app.openapi(route({ method: 'delete', path: '/v1/numbers/{id}', tags: ['Numbers'], summary: 'Release a number', request: { params: IdParam }, responses: responses(PhoneNumber) }), async (c) => {
    const orgId = c.get('orgId');
    return c.json(await one(orgId, await store.numbers.release(orgId, c.req.valid('param').id)) as never, 200);
  });
}
