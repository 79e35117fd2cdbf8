import { afterEach, describe, expect, it } from 'vitest';
import { CallingBox, Page } from '../src/index.js';
import { type FakeServer, type RecordedRequest, startFakeServer } from './fake-server.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** 500 calls, newest first; the cursor is the index of the next row, bound to the filters. */
const CALLS = Array.from({ length: 500 }, (_, i) => ({
  id: `call_${String(500 - i).padStart(4, '0')}`,
  direction: 'inbound',
  to_number: '+14155550100',
  result: { n: i },
}));

function callsPage(req: RecordedRequest): { status: number; headers: Record<string, string>; json: unknown } {
  const limit = Number(req.url.searchParams.get('limit') ?? 50);
  const cursor = req.url.searchParams.get('cursor');
  const start = cursor === null ? 0 : Number(cursor.replace('cur_', ''));
  const rows = CALLS.slice(start, start + limit);
  const headers: Record<string, string> = {};
  const next = start + limit;
  if (next < CALLS.length) {
    headers['CallingBox-Next-Cursor'] = `cur_${next}`;
    headers.link = `</v1/calls?limit=${limit}&cursor=cur_${next}>; rel="next"`;
  }
  return { status: 200, headers, json: rows };
}

describe('pagination', () => {
  it('walks 500 calls in pages of 50, fetching each page only when the previous one is consumed', async () => {
    server = await startFakeServer((req) => callsPage(req));
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    const list = client.calls.list({ direction: 'inbound', limit: 50 });
    await new Promise((r) => setTimeout(r, 20));
    expect(server.requests).toHaveLength(0); // nothing is fetched before it is awaited or iterated

    const seen: string[] = [];
    for await (const call of list) {
      seen.push(call.id);
      // While page k (1-based) is being consumed, exactly k pages have been requested.
      const pageOfItem = Math.ceil(seen.length / 50);
      expect(server.requests).toHaveLength(pageOfItem);
    }
    expect(seen).toEqual(CALLS.map((c) => c.id));
    expect(new Set(seen).size).toBe(500);
    expect(server.requests).toHaveLength(10);
    for (const [i, req] of server.requests.entries()) {
      expect(req.url.pathname).toBe('/v1/calls');
      expect(req.url.searchParams.get('direction')).toBe('inbound');
      expect(req.url.searchParams.get('limit')).toBe('50');
      expect(req.url.searchParams.get('cursor')).toBe(i === 0 ? null : `cur_${i * 50}`);
    }
  });

  it('does not fetch page 2 when the loop stops inside page 1', async () => {
    server = await startFakeServer((req) => callsPage(req));
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    let n = 0;
    for await (const _call of client.calls.list({ limit: 50 })) {
      if (++n === 50) break;
    }
    expect(server.requests).toHaveLength(1);
  });

  it('awaiting list() gives the first page, with its cursor, and getNextPage()', async () => {
    server = await startFakeServer((req) => callsPage(req));
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    const page = await client.calls.list({ limit: 50, status: ['completed', 'failed'] });
    expect(page).toBeInstanceOf(Page);
    expect(page.data).toHaveLength(50);
    expect(page.has_more).toBe(true);
    expect(page.next_cursor).toBe('cur_50');
    expect(server.requests[0]!.url.searchParams.get('status')).toBe('completed,failed');
    const second = await page.getNextPage();
    expect(second.data[0]!.id).toBe(CALLS[50]!.id);
    expect(server.requests[1]!.url.searchParams.get('status')).toBe('completed,failed');
    const pages: number[] = [];
    for await (const p of client.calls.list({ limit: 200 }).iterPages()) pages.push(p.data.length);
    expect(pages).toEqual([200, 200, 100]);
  });

  it('follows {data, has_more, next_cursor} bodies', async () => {
    const agents = Array.from({ length: 7 }, (_, i) => ({ id: `ag_${i}` }));
    server = await startFakeServer((req) => {
      const start = Number(req.url.searchParams.get('cursor') ?? 0);
      const data = agents.slice(start, start + 3);
      const more = start + 3 < agents.length;
      return { status: 200, json: { data, has_more: more, next_cursor: more ? String(start + 3) : null } };
    });
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    const ids: string[] = [];
    for await (const agent of client.agents.list({ type: 'inbound', limit: 3 })) ids.push(agent.id);
    expect(ids).toEqual(agents.map((a) => a.id));
    expect(server.requests.map((r) => r.url.searchParams.get('type'))).toEqual(['inbound', 'inbound', 'inbound']);
    const all = await client.agents.list({ limit: 3 }).toArray();
    expect(all).toHaveLength(7);
  });

  it('ends on a last page without a cursor', async () => {
    server = await startFakeServer(() => ({ status: 200, json: [{ id: 'pn_1' }] }));
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    const page = await client.numbers.list();
    expect(page.has_more).toBe(false);
    expect(page.hasNextPage()).toBe(false);
    await expect(page.getNextPage()).rejects.toThrow(/No next page/);
  });
});
