import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, eventually, FakeClock, type TestPlatform } from '@callingbox/testkit';
import type { Clock } from '../packages/server/src/core/clock.ts';
import { newId } from '../packages/server/src/core/ids.ts';
import { Store } from '../packages/server/src/store/store.ts';
import { recordAttempts, type AttemptResult } from '../packages/server/src/webhooks/delivery-record.ts';
import { DeliveryWorker, type DeliveryWorkerOptions } from '../packages/server/src/webhooks/delivery-worker.ts';
import { HttpSender } from '../packages/server/src/webhooks/http-sender.ts';

/**
 * The batched delivery path (issue 6 point 8): claims of many rows, sends with bounded
 * concurrency, results recorded a batch per transaction — with the guarantees of the one-by-one
 * path it replaced: per-call order, leases, attempts and call events. The platform runs no worker
 * of its own here; each test builds the workers it needs.
 */
let t: TestPlatform;
beforeAll(async () => {
  t = await createTestPlatform({ background: false });
}, 60_000);
afterAll(async () => t.close());

interface Hit { path: string; type: string; callId: string; eventId: string }

/** A receiver that answers 200 after `delayMs(hit)` (or holds the answer until `release()`). */
async function receiver(delayMs: (h: Hit) => number | 'hold' = () => 0) {
  const hits: Hit[] = [];
  const held: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const h = { path: req.url ?? '', type: String(req.headers['callingbox-event-type']), callId: String(req.headers['x-callingbox-call-id']), eventId: String(req.headers['callingbox-event-id']) };
      hits.push(h);
      const d = delayMs(h);
      const answer = (): void => void res.writeHead(200).end();
      if (d === 'hold') held.push(answer);
      else setTimeout(answer, d);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    hits,
    url: (p = '/hook') => `http://127.0.0.1:${(server.address() as AddressInfo).port}${p}`,
    release: () => held.splice(0).forEach((f) => f()),
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

function worker(o: Partial<DeliveryWorkerOptions> & { store?: Store; clock?: Clock } = {}) {
  const sender = new HttpSender({ allowPrivate: true, timeoutMs: 10_000, maxResponseBytes: 64 * 1024, now: () => performance.now() });
  const w = new DeliveryWorker({ store: t.platform.store, clock: t.platform.store.clock, sender, workerId: `test-${newId('req')}`, pollMs: 20, ...o });
  return { w, close: async () => (await w.close(), await sender.close()) };
}

async function callWithEvents(webhookUrl: string) {
  const lc = t.platform.lifecycle;
  const agent = (await t.api('POST', '/v1/agents', { name: 'Batched', type: 'inbound', webhook_url: webhookUrl })).body;
  const call = await lc.createInbound({ orgId: t.orgId, agentId: agent.id, agentVersion: agent.version, snapshot: {}, fromNumber: '+15550001111', toNumber: '+14155550100', webhookUrl, metadata: {}, workerId: 'test' });
  await lc.answered(call.id, 'test');
  await lc.ended(call.id, { hangupCause: 'caller_hangup', endedBy: 'caller' });
  return call;
}

const eventsOf = async (callId: string) => t.platform.store.db.selectFrom('call_events').selectAll().where('call_id', '=', callId).orderBy('sequence_no').execute();
const deliveriesOf = async (callId: string) => t.platform.store.db.selectFrom('webhook_deliveries').selectAll().where('call_id', '=', callId).orderBy('created_at').orderBy('id').execute();

describe('batched delivery', () => {
  it('keeps each call\'s events in order across claims while earlier ones are still in flight, and records batches, not rows', async () => {
    // Every ringing answer is slow, so a call's answered and completed rows are claimed (in later
    // batches of 2) while its ringing is still being sent.
    const rx = await receiver((h) => (h.type === 'call.ringing' ? 150 : 0));
    const ep = (await t.api('POST', '/v1/webhook_endpoints', { url: rx.url('/ep') })).body;
    let transactions = 0;
    const store = new Store(t.platform.store.db, t.platform.store.clock);
    const tx = store.transaction.bind(store);
    store.transaction = (fn) => (transactions++, tx(fn));
    const { w, close } = worker({ store, batch: 2, maxInFlight: 8 });
    try {
      const calls: Array<{ id: string }> = [];
      for (let i = 0; i < 4; i++) calls.push(await callWithEvents(rx.url('/hook')));
      w.start();
      await eventually(async () => {
        const n = await t.platform.store.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<string>().as('n')).where('call_id', 'in', calls.map((c) => c.id)).where('status', '=', 'delivered').executeTakeFirstOrThrow();
        return Number(n.n) === 24;
      }, '24 deliveries delivered', 15_000);
      for (const c of calls) {
        for (const p of ['/hook', '/ep']) expect(rx.hits.filter((h) => h.callId === c.id && h.path === p).map((h) => h.type)).toEqual(['call.ringing', 'call.answered', 'call.completed']);
        const events = await eventsOf(c.id);
        expect(events.map((e) => e.sequence_no)).toEqual(events.map((_, i) => i + 1));
        expect(events.filter((e) => e.type === 'webhook_delivery')).toHaveLength(6);
        expect((await t.api('GET', `/v1/calls/${c.id}`)).body.webhook_status).toBe('delivered');
        for (const d of await deliveriesOf(c.id)) expect((await t.api('GET', `/v1/webhook_deliveries/${d.id}`)).body).toMatchObject({ attempt_count: 1, status: 'delivered', attempts: [{ status_code: 200 }] });
      }
      expect(transactions).toBeLessThan(24);
    } finally {
      await close();
      await t.api('DELETE', `/v1/webhook_endpoints/${ep.id}`);
      await rx.close();
    }
  });

  it('records only the rows this worker still leases, numbering call events after the ones already there', async () => {
    const call = await callWithEvents('http://127.0.0.1:9/unused');
    const before = await eventsOf(call.id);
    const [ringing, answered, completed] = await deliveriesOf(call.id);
    const db = t.platform.store.db;
    await db.updateTable('webhook_deliveries').set({ locked_by: 'me', locked_until: new Date(Date.now() + 30_000) }).where('id', 'in', [ringing!.id, completed!.id]).execute();
    // The lease on `answered` ran out and another worker holds it now: its attempt is the one recorded.
    await db.updateTable('webhook_deliveries').set({ locked_by: 'other', locked_until: new Date(Date.now() + 30_000) }).where('id', '=', answered!.id).execute();
    const ok = { ok: true, status: 204, durationMs: 2, error: null, body: '' };
    const results: AttemptResult[] = [ringing!, answered!, completed!].map((d, i) => ({ d, r: ok, atMs: Date.now() + i }));
    await recordAttempts(t.platform.store, { workerId: 'me', results, release: [], schedule: [60], random: () => 0.5 });
    const after = await deliveriesOf(call.id);
    expect(after.map((d) => [d.event_type, d.status, d.attempt_count, d.locked_by])).toEqual([
      ['call.ringing', 'delivered', 1, null],
      ['call.answered', 'pending', 0, 'other'],
      ['call.completed', 'delivered', 1, null],
    ]);
    expect(await t.platform.store.webhooks.attemptsOf(answered!.id)).toEqual([]);
    const events = (await eventsOf(call.id)).slice(before.length);
    expect(events.map((e) => [e.sequence_no, e.type, (e.data as { delivery_id: string }).delivery_id])).toEqual([
      [before.length + 1, 'webhook_delivery', ringing!.id],
      [before.length + 2, 'webhook_delivery', completed!.id],
    ]);
    expect((await t.api('GET', `/v1/calls/${call.id}`)).body).toMatchObject({ webhook_status: 'delivered', webhook_error: null });
  });

  it('folds an endpoint\'s exhausted and successful deliveries of one batch in order: disabled at 10 even when a later 2xx resets the counter', async () => {
    const ep = (await t.api('POST', '/v1/webhook_endpoints', { url: 'http://127.0.0.1:9/ep', enabled_events: ['call.completed'] })).body;
    const db = t.platform.store.db;
    await db.updateTable('webhook_endpoints').set({ consecutive_failures: 8 }).where('id', '=', ep.id).execute();
    const rows: Array<Awaited<ReturnType<typeof deliveriesOf>>[number]> = [];
    for (let i = 0; i < 3; i++) {
      const call = await callWithEvents('http://127.0.0.1:9/unused');
      rows.push((await deliveriesOf(call.id)).find((d) => d.endpoint_id === ep.id)!);
    }
    await db.updateTable('webhook_deliveries').set({ locked_by: 'me', locked_until: new Date(Date.now() + 30_000), attempt_count: 7 }).where('id', 'in', rows.map((r) => r.id)).execute();
    const fail = { ok: false, status: 500, durationMs: 2, error: 'HTTP 500', body: '' };
    const ok = { ok: true, status: 200, durationMs: 2, error: null, body: '' };
    const results: AttemptResult[] = rows.map((d, i) => ({ d: { ...d, attempt_count: 7 }, r: i < 2 ? fail : ok, atMs: Date.now() + i }));
    await recordAttempts(t.platform.store, { workerId: 'me', results, release: [], schedule: [1, 1, 1, 1, 1, 1, 1], random: () => 0.5 });
    expect((await t.api('GET', `/v1/webhook_endpoints/${ep.id}`)).body).toMatchObject({ status: 'disabled', disabled_reason: 'too_many_failures', consecutive_failures: 0 });
    expect((await deliveriesOf(rows[0]!.call_id!)).find((d) => d.id === rows[0]!.id)).toMatchObject({ status: 'exhausted', attempt_count: 8 });
    await t.api('DELETE', `/v1/webhook_endpoints/${ep.id}`);
  });

  it('never starts a send its lease cannot cover, and hands rows back unsent when closed mid-send', async () => {
    const rx = await receiver(() => 'hold');
    const call = await callWithEvents(rx.url());
    const [ringing, answered, completed] = await deliveriesOf(call.id);
    // Only this call's rows are due (the rows the tests above left pending are not).
    await t.platform.store.db.updateTable('webhook_deliveries').set({ status: 'exhausted', next_attempt_at: null }).where('status', '=', 'pending').where('call_id', '<>', call.id).execute();
    const t0 = Date.now();
    const clock = new FakeClock(t0);
    const store = new Store(t.platform.store.db, clock);
    // One send at a time: answered and completed wait behind ringing, whose answer is held.
    const { w, close } = worker({ store, clock, sendConcurrency: 1, leaseMs: 30_000 });
    try {
      w.start();
      await eventually(async () => rx.hits.length === 1, 'ringing sent');
      // 16 s later the waiting rows' leases (30 s) no longer cover a 10 s send plus its record:
      // they go back unsent and are claimed again with a new lease before answered is sent.
      await clock.advance(16_000);
      rx.release();
      await eventually(async () => rx.hits.length === 2, 'answered sent after a new claim');
      expect(rx.hits.map((h) => h.eventId)).toEqual([ringing!.id, answered!.id]);
      const leased = (await deliveriesOf(call.id)).find((d) => d.id === answered!.id)!;
      expect(leased.locked_until!.getTime()).toBe(t0 + 16_000 + 30_000);
    } finally {
      // Closed while answered's answer is held and completed waits: both go back unsent.
      await close();
      rx.release();
      await rx.close();
    }
    expect((await deliveriesOf(call.id)).map((d) => [d.id, d.status, d.attempt_count, d.locked_by])).toEqual([
      [ringing!.id, 'delivered', 1, null],
      [answered!.id, 'pending', 0, null],
      [completed!.id, 'pending', 0, null],
    ]);
    expect(await t.platform.store.webhooks.attemptsOf(answered!.id)).toEqual([]);
  });
});
