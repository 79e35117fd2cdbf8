import { sql } from 'kysely';
import { newId } from '../../packages/server/src/core/ids.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type ApiResponse, type TestPlatform } from '@callingbox/testkit';

let t: TestPlatform;
const seeded: string[] = [];
beforeAll(async () => {
  t = await createTestPlatform();
  // 1,000 calls, several sharing each created_at millisecond so the id tiebreak is exercised.
  const base = Date.parse('2026-11-01T00:00:00.000Z');
  const rows = Array.from({ length: 1000 }, (_, i) => {
    const created = new Date(base + Math.floor(i / 4) * 1000);
    return { id: newId('call', created.getTime()), org_id: t.orgId, direction: i % 3 ? 'inbound' : 'outbound', to_number: '+14155550100', status: 'completed', created_at: created, updated_at: created } as const;
  });
  await t.platform.store.db.insertInto('calls').values(rows as never).execute();
  seeded.push(...rows.map((r) => r.id));
}, 120_000);
afterAll(async () => t.close());

describe('keyset pagination', () => {
  it('walks 1,000 calls in pages of 50 while rows are inserted, with no row repeated or skipped', async () => {
    const seen: string[] = [];
    let url = '/v1/calls?limit=50';
    let pages = 0;
    for (;;) {
      const r = await t.api('GET', url);
      expect(r.status).toBe(200);
      seen.push(...(r.body as Array<{ id: string }>).map((c) => c.id));
      pages++;
      // New calls arrive between pages (newer than everything, so they never enter later pages).
      await t.platform.store.calls.insert({ org_id: t.orgId, direction: 'inbound', to_number: '+14155550100', status: 'ringing' });
      const next = r.headers.get('callingbox-next-cursor');
      if (!next) {
        expect(r.headers.get('link')).toBeNull();
        break;
      }
      const link = r.headers.get('link')!;
      expect(link).toMatch(/^<\/v1\/calls\?limit=50&cursor=[^>]+>; rel="next"$/);
      url = link.slice(1, link.indexOf('>'));
    }
    expect(pages).toBe(20);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seeded].reverse());
  });

  it('keeps order created_at desc, id desc for rows sharing a timestamp', async () => {
    const rows = await t.platform.store.db.selectFrom('calls').select(['id', 'created_at']).where('org_id', '=', t.orgId).orderBy(sql`created_at desc, id desc`).limit(8).execute();
    const api = (await t.api('GET', '/v1/calls?limit=8')).body.map((c: { id: string }) => c.id);
    expect(api).toEqual(rows.map((r) => r.id));
  });

  it('a cursor is bound to its filters and must be well-formed', async () => {
    const r = await t.api('GET', '/v1/calls?limit=5&direction=outbound');
    const cursor = r.headers.get('callingbox-next-cursor')!;
    expect(cursor).toBeTruthy();
    const ok = await t.api('GET', `/v1/calls?limit=5&direction=outbound&cursor=${cursor}`);
    expect(ok.status).toBe(200);
    expect(ok.body.every((c: { direction: string }) => c.direction === 'outbound')).toBe(true);
    const other = await t.api('GET', `/v1/calls?limit=5&direction=inbound&cursor=${cursor}`);
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ code: 'invalid_request', param: 'cursor' });
    for (const bad of ['x', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["not a date","call_x","h"]').toString('base64url')]) {
      expect((await t.api('GET', `/v1/calls?cursor=${bad}`)).body.param).toBe('cursor');
    }
  });

  it('{data} lists page with has_more and next_cursor as well as headers', async () => {
    for (let i = 0; i < 7; i++) await t.api('POST', '/v1/agents', { name: `A${i}`, type: 'outbound' });
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const r: ApiResponse = await t.api('GET', `/v1/agents?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...r.body.data.map((a: { id: string }) => a.id));
      expect(r.body.has_more).toBe(r.body.next_cursor !== null);
      expect(r.headers.get('callingbox-next-cursor')).toBe(r.body.next_cursor);
      cursor = r.body.next_cursor;
    } while (cursor);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
  });

  it('numbers page as a bare array with headers', async () => {
    for (let i = 0; i < 5; i++) await t.api('POST', '/v1/numbers/purchase', { phone_number: `+1303555010${i}` });
    const p1 = await t.api('GET', '/v1/numbers?limit=3');
    expect(Array.isArray(p1.body)).toBe(true);
    expect(p1.body).toHaveLength(3);
    const p2 = await t.api('GET', `/v1/numbers?limit=3&cursor=${p1.headers.get('callingbox-next-cursor')}`);
    expect(p2.body).toHaveLength(2);
    expect(p2.headers.get('callingbox-next-cursor')).toBeNull();
  });
});
