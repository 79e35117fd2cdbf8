import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '@callingbox/testkit';
import { CALL_VIEW_JSON, callView } from '../../packages/server/src/calls/call-view.ts';
import { newId } from '../../packages/server/src/core/ids.ts';
import type { CallFilter, CallInsert } from '../../packages/server/src/store/repos/calls.ts';
import type { CallStatus } from '../../packages/server/src/store/schema.ts';
import type { PageRequest } from '../../packages/server/src/store/pagination.ts';

/**
 * GET /v1/calls sends the page as JSON built by the database (CALL_VIEW_JSON), GET /v1/calls/{id}
 * and webhooks build the object in Node (callView). These tests hold the two to the same output:
 * generated calls with every field shape, every status, walked page by page with the same cursors.
 */

const STATUSES: CallStatus[] = ['queued', 'initiated', 'ringing', 'in_progress', 'completed', 'no_answer', 'busy', 'canceled', 'failed'];
// PostgreSQL text cannot hold NUL, and jsonb rejects \u0000.
const text = fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replaceAll('\u0000', ''));
const tricky = fc.oneof(text, fc.constantFrom('', 'quote " backslash \\ slash /', 'tab\tnew\nline\r\u0001\u001f\u007f', 'é ü 漢字 🙂 \u2028\u2029', '</script>'));
const nullable = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null, freq: 3 });
// Any JSON a user can send (metadata, context) or an extraction can produce (result).
const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v).replaceAll('\\u0000', '')) as unknown);
// 1901..2100, some before 1970; whole milliseconds, as the platform writes them.
const instant = fc.integer({ min: Date.UTC(1901, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms));
const snapshot = fc.record(
  {
    persona: nullable(tricky), instructions: nullable(tricky), returns: nullable(fc.dictionary(fc.string({ maxLength: 8 }), fc.constantFrom('string', 'boolean', 'phone', 'integer'))),
    language: nullable(fc.constantFrom('en', 'fr-CA')), voice: nullable(tricky), timezone: nullable(fc.constantFrom('UTC', 'America/New_York')),
    // Snapshot keys the call object does not show.
    tools: fc.array(fc.record({ type: fc.constant('builtin'), name: fc.constant('end_call') }), { maxLength: 2 }), settings: json,
  },
  { requiredKeys: [] },
);

function callArbitrary(orgId: string, agentIds: string[]): fc.Arbitrary<CallInsert> {
  return fc.record({
    id: fc.constant(''), org_id: fc.constant(orgId), agent_id: nullable(fc.constantFrom(...agentIds)), agent_version: nullable(fc.integer({ min: 1, max: 1000 })),
    direction: fc.constantFrom('inbound' as const, 'outbound' as const), to_number: fc.constantFrom('+14155550100', '+14155550101'), from_number: nullable(fc.constantFrom('+12025550111', '+33612345678')),
    status: fc.constantFrom(...STATUSES), answered_by: nullable(fc.constantFrom('human' as const, 'machine' as const, 'unknown' as const)),
    snapshot, context: nullable(json), result: nullable(json), result_status: fc.constantFrom('pending' as const, 'completed' as const, 'failed' as const), result_error: nullable(tricky),
    webhook_url: nullable(fc.constant('https://hooks.example.com/x?a=1&b="2"')), webhook_status: fc.constantFrom('none' as const, 'pending' as const, 'delivered' as const, 'failed' as const), webhook_error: nullable(tricky),
    started_at: nullable(instant), answered_at: nullable(instant), ended_at: nullable(instant),
    duration_seconds: nullable(fc.integer({ min: 0, max: 100_000 })), billed_duration_seconds: nullable(fc.integer({ min: 0, max: 100_000 })),
    billing_amount_milli_cents: nullable(fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }).map(String)),
    reservation_status: nullable(fc.constantFrom('reserved' as const, 'settled' as const, 'released' as const)), error_code: nullable(tricky), error_message: nullable(tricky),
    hangup_cause: nullable(tricky), ended_by: nullable(fc.constantFrom('caller' as const, 'agent' as const, 'system' as const, 'api' as const)),
    metadata: nullable(fc.dictionary(fc.string({ maxLength: 10 }), json, { maxKeys: 4 })), latency: nullable(fc.record({ p50_ms: nullable(fc.integer({ max: 5000 })), p95_ms: nullable(fc.integer({ max: 9000 })) })),
    recording_path: nullable(fc.constantFrom('', 'recordings/x.wav')), redacted_at: nullable(instant), created_at: instant, updated_at: instant,
  }) as unknown as fc.Arbitrary<CallInsert>;
}

let t: TestPlatform;
let flatOrg: string;
const FILTERS: CallFilter[] = [{}, ...STATUSES.map((s) => ({ status: [s] })), { direction: ['outbound'] }, { status: ['completed', 'failed'], direction: ['inbound'] }, { from_number: ['+33612345678'] }];

beforeAll(async () => {
  t = await createTestPlatform();
  const agentIds: string[] = [];
  for (const type of ['inbound', 'outbound']) agentIds.push((await t.api('POST', '/v1/agents', { name: `Parity ${type}`, type })).body.id);
  const rows = fc.sample(callArbitrary(t.orgId, agentIds), { numRuns: 400, seed: 20261127 });
  // Several calls share each created_at millisecond, so the id tiebreak and the cursor's are exercised.
  rows.forEach((r, i) => {
    if (i % 5 === 1) r.created_at = rows[i - 1]!.created_at;
    r.id = newId('call', (r.created_at as Date).getTime());
  });
  for (const r of rows) await t.platform.store.calls.insert(r);
  // Microseconds, as PostgreSQL's now() writes them (the bench seed does): both paths truncate to ms.
  // Only on calls alone in their millisecond: the cursor holds milliseconds, so two calls in one
  // millisecond with different microseconds can be skipped at a page boundary, on both paths alike
  // (the platform writes whole milliseconds; only SQL-seeded rows have microseconds).
  await sql`update calls set created_at = created_at + interval '789 microseconds', started_at = started_at + interval '999 microseconds'
    where right(id, 1) in ('0', '5', 'A', 'K') and created_at in (select created_at from calls group by created_at having count(*) = 1)`.execute(t.platform.store.db);
  // A second organisation whose calls hold no nested JSON: its pages must be byte-for-byte callView's.
  flatOrg = (await t.newOrg('Flat')).orgId;
  for (let i = 0; i < 30; i++) {
    const at = new Date(Date.UTC(2026, 10, 1, 12, 0, i % 7, i * 37));
    await t.platform.store.calls.insert({
      id: newId('call', at.getTime()), org_id: flatOrg, direction: i % 2 ? 'inbound' : 'outbound', to_number: '+14155550100', from_number: i % 3 ? '+12025550111' : null, status: STATUSES[i % STATUSES.length]!,
      snapshot: i % 4 ? { persona: `Persona "${i}"\n`, instructions: 'Say héllo 🙂', language: 'en', voice: null, timezone: 'UTC' } : {},
      result_error: i % 5 ? null : 'tab\there\u0001', billing_amount_milli_cents: i % 2 ? String(i * 1500) : null, duration_seconds: i, recording_path: i % 3 ? null : `r/${i}.wav`,
      started_at: i % 2 ? at : null, created_at: at, updated_at: at,
    });
  }
}, 180_000);
afterAll(async () => t.close());

/** The old path: rows decoded by the driver, callView in Node, JSON.stringify. */
async function viaNode(orgId: string, f: CallFilter, page: PageRequest) {
  const p = await t.platform.store.calls.list(orgId, f, page);
  return { text: JSON.stringify(p.items.map(callView)), nextCursor: p.nextCursor };
}

async function viaDatabase(orgId: string, f: CallFilter, page: PageRequest) {
  const p = await t.platform.store.calls.listJson(orgId, f, page, CALL_VIEW_JSON);
  return { text: p.body, nextCursor: p.nextCursor };
}

describe('the list page built by the database equals callView', () => {
  it.each(FILTERS.map((f) => [JSON.stringify(f), f] as const))('filter %s: every page, in pages of 7 and 50, same objects, same key order, same cursors', async (_, f) => {
    const filters = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v ?? null]));
    for (const limit of [7, 50]) {
      let cursor: string | undefined;
      let pages = 0;
      let seen = 0;
      do {
        const page = { limit, cursor, filters };
        const [a, b] = [await viaNode(t.orgId, f, page), await viaDatabase(t.orgId, f, page)];
        const [expected, actual] = [JSON.parse(a.text) as Array<Record<string, unknown>>, JSON.parse(b.text) as Array<Record<string, unknown>>];
        expect(actual).toEqual(expected);
        expect(actual.map((o) => Object.keys(o))).toEqual(expected.map((o) => Object.keys(o)));
        expect(b.nextCursor).toBe(a.nextCursor);
        seen += actual.length;
        pages++;
        cursor = b.nextCursor ?? undefined;
      } while (cursor);
      const [{ n }] = (await sql<{ n: string }>`select count(*)::text as n from calls where org_id = ${t.orgId}`.execute(t.platform.store.db)).rows as [{ n: string }];
      if (Object.keys(f).length === 0) expect(seen).toBe(Number(n));
      expect(pages).toBeGreaterThan(0);
    }
  });

  it('covers every status and field shape it claims to', async () => {
    const rows = await t.platform.store.db.selectFrom('calls').selectAll().where('org_id', '=', t.orgId).execute();
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(STATUSES));
    for (const col of ['result', 'metadata', 'context', 'agent_id', 'started_at', 'billing_amount_milli_cents', 'recording_path'] as const) {
      expect(rows.some((r) => r[col] === null), `${col} null`).toBe(true);
      expect(rows.some((r) => r[col] !== null), `${col} set`).toBe(true);
    }
    expect(rows.some((r) => r.recording_path === '')).toBe(true);
    expect(rows.some((r) => r.created_at.getTime() % 1000 !== 0 && r.started_at !== null)).toBe(true);
    const [{ n }] = (await sql<{ n: string }>`select count(*)::text as n from calls where org_id = ${t.orgId} and extract(microseconds from created_at)::int % 1000 <> 0`.execute(t.platform.store.db)).rows as [{ n: string }];
    expect(Number(n)).toBeGreaterThan(10);
    expect(rows.some((r) => Object.keys(r.snapshot as object).length === 0 || !('persona' in (r.snapshot as object)))).toBe(true);
    expect(rows.some((r) => (r.snapshot as { persona?: unknown }).persona === null)).toBe(true);
  });

  it('is byte-for-byte callView where no nested JSON is involved', async () => {
    for (const page of [{ limit: 50, filters: {} }, { limit: 4, filters: {} }]) {
      const [a, b] = [await viaNode(flatOrg, {}, page), await viaDatabase(flatOrg, {}, page)];
      expect(b.text).toBe(a.text);
      expect(b.nextCursor).toBe(a.nextCursor);
    }
  });

  it('answers an empty page as [] with no cursor, and a page of exactly `limit` rows with none', async () => {
    expect(await viaDatabase(t.orgId, { to_number: ['+19995550000'] }, { limit: 10, filters: {} })).toEqual({ text: '[]', nextCursor: null });
    const all = await viaNode(flatOrg, {}, { limit: 30, filters: {} });
    expect(all.nextCursor).toBeNull();
    expect(await viaDatabase(flatOrg, {}, { limit: 30, filters: {} })).toEqual(all);
  });

  it('GET /v1/calls serves it with the headers and cursor of the Node path', async () => {
    const filters = { status: ['completed'] };
    const expected = await viaNode(t.orgId, { status: ['completed'] }, { limit: 5, filters });
    const r = await t.api('GET', '/v1/calls?limit=5&status=completed');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.body).toEqual(JSON.parse(expected.text));
    expect(r.headers.get('callingbox-next-cursor')).toBe(expected.nextCursor);
    expect(r.headers.get('link')).toBe(`</v1/calls?limit=5&status=completed&cursor=${expected.nextCursor}>; rel="next"`);
    const one = await t.api('GET', `/v1/calls/${r.body[0].id}`);
    expect(r.body[0]).toEqual(one.body);
  });
});
