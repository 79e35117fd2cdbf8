import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { ValidationError } from '../../core/errors.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { setNextPageHeaders } from '../list-response.ts';
import { jsonBody, responses, route } from '../openapi-route.ts';
import { Call, CALL_STATUSES, CallEvent, Transcript } from '../schemas/call.ts';
import { csvEnum, CsvPhones, CsvStrings, Cursor, IdParam, Limit, listOf, QueryInstant } from '../schemas/common.ts';
import { CALL_VIEW_JSON, callView } from '../views.ts';

const ListQuery = z.strictObject({
  direction: csvEnum(['inbound', 'outbound']),
  agent_id: CsvStrings,
  status: csvEnum(CALL_STATUSES),
  to_number: CsvPhones,
  from_number: CsvPhones,
  created_after: QueryInstant,
  created_before: QueryInstant,
  limit: Limit,
  cursor: Cursor,
});
const EventsQuery = z.strictObject({ limit: Limit, cursor: Cursor });

export function registerCallRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { store } = deps;

  app.openapi(route({ method: 'get', path: '/v1/calls', tags: ['Calls'], summary: 'List calls, inbound and outbound (bare array; next page in headers)', request: { query: ListQuery }, responses: responses(z.array(Call)) }), async (c) => {
    const { limit, cursor, ...f } = c.req.valid('query');
    const filters = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : (v ?? null)]));
    // The page arrives as JSON text built by the database (CALL_VIEW_JSON, the same objects as
    // callView) and goes out as it is: no row decoding, no stringify (bench/results).
    const page = await store.calls.listJson(c.get('orgId'), f, { limit, cursor, filters }, CALL_VIEW_JSON);
    setNextPageHeaders(c, page.nextCursor);
    return c.body(page.body, 200, { 'content-type': 'application/json' }) as never;
  });

  app.openapi(route({ method: 'get', path: '/v1/calls/{id}', tags: ['Calls'], summary: 'Retrieve a call', request: { params: IdParam }, responses: responses(Call) }), async (c) => {
    return c.json(callView(await store.calls.get(c.get('orgId'), c.req.valid('param').id)) as never, 200);
  });

  app.openapi(route({ method: 'get', path: '/v1/calls/{id}/transcript', tags: ['Calls'], summary: "A call's transcript", request: { params: IdParam }, responses: responses(Transcript) }), async (c) => {
    const id = c.req.valid('param').id;
    const segs = await store.calls.transcript(c.get('orgId'), id);
    return c.json({
      call_id: id,
      segments: segs.map((s) => ({ sequence_no: s.sequence_no, role: s.role, text: s.text, started_at: s.started_at.toISOString(), ended_at: s.ended_at.toISOString(), duration_ms: s.duration_ms, source: s.source, interrupted: s.interrupted })),
    }, 200);
  });

  app.openapi(route({ method: 'get', path: '/v1/calls/{id}/events', tags: ['Calls'], summary: "A call's timeline, oldest first", request: { params: IdParam, query: EventsQuery }, responses: responses(listOf(CallEvent, 'CallEventList')) }), async (c) => {
    const id = c.req.valid('param').id;
    const q = c.req.valid('query');
    let after = 0;
    if (q.cursor !== undefined) {
      if (!/^\d{1,9}$/.test(q.cursor)) throw new ValidationError('Invalid cursor: malformed. Use next_cursor from the previous page.', 'cursor');
      after = Number(q.cursor);
    }
    const rows = await store.calls.events(c.get('orgId'), id, after, q.limit + 1);
    const items = rows.slice(0, q.limit);
    const next = rows.length > q.limit ? String(items[items.length - 1]!.sequence_no) : null;
    setNextPageHeaders(c, next);
    return c.json({
      data: items.map((e) => ({ id: e.id, call_id: e.call_id, sequence_no: e.sequence_no, type: e.type, at: e.at.toISOString(), data: e.data })),
      has_more: next !== null,
      next_cursor: next,
    } as never, 200);
  });
}
