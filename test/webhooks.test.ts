import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, eventually, startWebhookReceiver, type TestPlatform } from '@callingbox/testkit';
import { recoverLostCalls } from '../packages/server/src/calls/recovery.ts';

/** Verifies a delivery the way a receiver would, written here with Node's crypto only (not our signer). */
function independentlyVerify(header: string, body: string, secret: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const got = Buffer.from(parts.v1 ?? '', 'hex');
  return got.length === expected.length && timingSafeEqual(got, expected) && Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
}

let t: TestPlatform;
beforeAll(async () => {
  // Retries every 50 ms instead of minutes: the schedule is configuration (webhooks.md → Retries).
  t = await createTestPlatform({ background: true, env: { CALLINGBOX_WEBHOOK_RETRY_SCHEDULE: '0.05,0.05,0.05,0.05,0.05,0.05,0.05', CALLINGBOX_WEBHOOK_POLL_MS: '20' } });
}, 60_000);
afterAll(async () => t.close());

async function agentWithHook(url: string | null, returns: Record<string, string> | null = { caller_name: 'string' }) {
  return (await t.api('POST', '/v1/agents', { name: 'Hooked', type: 'inbound', webhook_url: url, returns })).body;
}

/** Runs a call through its lifecycle the way a carrier does: ringing, answered, ended by the caller. */
async function runCall(agent: { id: string; version: number; webhook_url: string | null; returns: unknown }, opts: { answer?: boolean } = {}) {
  const lc = t.platform.lifecycle;
  const call = await lc.createInbound({ orgId: t.orgId, agentId: agent.id, agentVersion: agent.version, snapshot: { returns: agent.returns as never, instructions: 'x' }, fromNumber: '+15550001111', toNumber: '+14155550100', webhookUrl: agent.webhook_url, metadata: {}, workerId: 'test' });
  if (opts.answer !== false) await lc.answered(call.id, 'test');
  await lc.ended(call.id, { hangupCause: 'caller_hangup', endedBy: 'caller' });
  return call;
}

describe('webhook events, envelope, headers and signatures', () => {
  it('sends ringing, answered and exactly one terminal event, signed with the org default secret', async () => {
    const rx = await startWebhookReceiver();
    try {
      const agent = await agentWithHook(rx.url());
      const call = await runCall(agent);
      await eventually(async () => rx.received.length >= 3, 'three deliveries');
      const types = rx.received.map((r) => r.json.type);
      expect(types).toEqual(['call.ringing', 'call.answered', 'call.completed']);
      const secret = (await t.api('GET', '/v1/webhook_secret')).body.secret;
      for (const r of rx.received) {
        expect(independentlyVerify(r.headers['callingbox-signature'] as string, r.body, secret)).toBe(true);
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.headers['callingbox-event-id']).toBe(r.json.id);
        expect(r.headers['callingbox-event-type']).toBe(r.json.type);
        expect(r.headers['x-callingbox-event']).toBe(r.json.type);
        expect(r.headers['x-callingbox-call-id']).toBe(call.id);
        expect(r.headers['user-agent']).toMatch(/^CallingBox-Webhooks\/\d/);
        expect(r.json).toMatchObject({ id: expect.stringMatching(/^wd_/), created: expect.any(Number), api_version: '2026-04', data: { call: { id: call.id } } });
      }
      const completed = rx.received[2]!.json.data.call;
      expect(completed).toMatchObject({ status: 'completed', result: { caller_name: null }, result_status: 'completed', ended_by: 'caller' });
      const final = await eventually(async () => {
        const c = (await t.api('GET', `/v1/calls/${call.id}`)).body;
        return c.webhook_status === 'delivered' ? c : null;
      }, 'webhook_status delivered');
      expect(final.webhook_error).toBeNull();
      const events = (await t.api('GET', `/v1/calls/${call.id}/events?limit=200`)).body.data;
      expect(events.filter((e: { type: string }) => e.type === 'webhook_delivery')).toHaveLength(3);
    } finally {
      await rx.close();
    }
  });

  it('account endpoints get their own deliveries, signed with their own secret, filtered by enabled_events', async () => {
    const rx = await startWebhookReceiver();
    try {
      const all = (await t.api('POST', '/v1/webhook_endpoints', { url: rx.url('/all') })).body;
      const only = (await t.api('POST', '/v1/webhook_endpoints', { url: rx.url('/completed'), enabled_events: ['call.completed'] })).body;
      const agent = await agentWithHook(null);
      const call = await runCall(agent);
      await eventually(async () => rx.received.length >= 4, 'four deliveries');
      const byPath = (p: string) => rx.received.filter((r) => r.path === p);
      expect(byPath('/all').map((r) => r.json.type)).toEqual(['call.ringing', 'call.answered', 'call.completed']);
      expect(byPath('/completed').map((r) => r.json.type)).toEqual(['call.completed']);
      for (const r of byPath('/all')) expect(independentlyVerify(r.headers['callingbox-signature'] as string, r.body, all.signing_secret)).toBe(true);
      expect(independentlyVerify(byPath('/completed')[0]!.headers['callingbox-signature'] as string, byPath('/completed')[0]!.body, only.signing_secret)).toBe(true);
      // No inline URL: the call's webhook_status stays "none".
      expect((await t.api('GET', `/v1/calls/${call.id}`)).body.webhook_status).toBe('none');
      const deliveries = (await t.api('GET', `/v1/webhook_deliveries?call_id=${call.id}`)).body.data;
      expect(deliveries).toHaveLength(4);
      await t.api('DELETE', `/v1/webhook_endpoints/${all.id}`);
      await t.api('DELETE', `/v1/webhook_endpoints/${only.id}`);
    } finally {
      await rx.close();
    }
  });

  it('a call that never connected ends canceled with result pending', async () => {
    const rx = await startWebhookReceiver();
    try {
      const agent = await agentWithHook(rx.url());
      await runCall(agent, { answer: false });
      await eventually(async () => rx.received.length >= 2, 'two deliveries');
      expect(rx.received.map((r) => r.json.type)).toEqual(['call.ringing', 'call.canceled']);
      expect(rx.received[1]!.json.data.call).toMatchObject({ status: 'canceled', result_status: 'pending', result: null });
    } finally {
      await rx.close();
    }
  });
});

describe('retries, exhaustion, disabling and redelivery', () => {
  it('retries failures with the same event id until a 2xx, and shows the attempts', async () => {
    const rx = await startWebhookReceiver((_r, n) => (n <= 2 ? 500 : 200));
    try {
      const ep = (await t.api('POST', '/v1/webhook_endpoints', { url: rx.url(), enabled_events: ['call.completed'] })).body;
      await runCall(await agentWithHook(null));
      await eventually(async () => rx.received.length >= 3, 'three attempts');
      expect(new Set(rx.received.map((r) => r.headers['callingbox-event-id'])).size).toBe(1);
      const [d] = (await t.api('GET', `/v1/webhook_deliveries?endpoint_id=${ep.id}`)).body.data;
      const full = await eventually(async () => {
        const x = (await t.api('GET', `/v1/webhook_deliveries/${d.id}`)).body;
        return x.status === 'delivered' ? x : null;
      }, 'delivered');
      expect(full).toMatchObject({ attempt_count: 3, last_response_status: 200 });
      expect(full.attempts.map((a: { status_code: number }) => a.status_code)).toEqual([500, 500, 200]);
      await t.api('DELETE', `/v1/webhook_endpoints/${ep.id}`);
    } finally {
      await rx.close();
    }
  });

  it('exhausts after 8 attempts, marks the call failed, and redelivers by hand with the same event id', async () => {
    let fail = true;
    const rx = await startWebhookReceiver(() => (fail ? 503 : 200));
    try {
      const agent = await agentWithHook(rx.url());
      const call = await runCall(agent);
      const terminal = await eventually(async () => {
        const c = (await t.api('GET', `/v1/calls/${call.id}`)).body;
        return c.webhook_status === 'failed' ? c : null;
      }, 'webhook_status failed', 10_000);
      expect(terminal.webhook_error).toBe('HTTP 503');
      const d = (await t.api('GET', `/v1/webhook_deliveries?call_id=${call.id}&status=exhausted`)).body.data.find((x: { event_type: string }) => x.event_type === 'call.completed');
      expect(d.attempt_count).toBe(8);
      expect(rx.received.filter((r) => r.headers['callingbox-event-id'] === d.id), JSON.stringify({ d, got: rx.received.map((r) => r.headers['callingbox-event-id']) })).toHaveLength(8);
      fail = false;
      const again = await t.api('POST', `/v1/webhook_deliveries/${d.id}/redeliver`);
      expect(again.body).toMatchObject({ status: 'pending', manual_retry_count: 1 });
      await eventually(async () => (await t.api('GET', `/v1/webhook_deliveries/${d.id}`)).body.status === 'delivered', 'redelivered');
      expect(rx.received.filter((r) => r.headers['callingbox-event-id'] === d.id)).toHaveLength(9);
    } finally {
      await rx.close();
    }
  });

  it('disables an endpoint after 10 exhausted deliveries in a row; PATCH re-enables it; disabled endpoints get nothing new', async () => {
    const rx = await startWebhookReceiver(() => 500);
    try {
      const ep = (await t.api('POST', '/v1/webhook_endpoints', { url: rx.url(), enabled_events: ['call.completed'] })).body;
      const agent = await agentWithHook(null);
      for (let i = 0; i < 10; i++) await runCall(agent);
      const disabled = await eventually(async () => {
        const e = (await t.api('GET', `/v1/webhook_endpoints/${ep.id}`)).body;
        return e.status === 'disabled' ? e : null;
      }, 'endpoint disabled', 15_000);
      expect(disabled).toMatchObject({ disabled_reason: 'too_many_failures', consecutive_failures: 10 });
      const before = (await t.api('GET', `/v1/webhook_deliveries?endpoint_id=${ep.id}&limit=200`)).body.data.length;
      await runCall(agent);
      expect((await t.api('GET', `/v1/webhook_deliveries?endpoint_id=${ep.id}&limit=200`)).body.data.length).toBe(before);
      const enabled = (await t.api('PATCH', `/v1/webhook_endpoints/${ep.id}`, { status: 'enabled' })).body;
      expect(enabled).toMatchObject({ status: 'enabled', consecutive_failures: 0 });
      await t.api('DELETE', `/v1/webhook_endpoints/${ep.id}`);
    } finally {
      await rx.close();
    }
  }, 30_000);

  it('secret rotation takes effect at once', async () => {
    const rx = await startWebhookReceiver();
    try {
      const agent = await agentWithHook(rx.url());
      const rotated = (await t.api('POST', '/v1/webhook_secret/rotate')).body.secret;
      await runCall(agent);
      await eventually(async () => rx.received.length >= 3, 'deliveries');
      for (const r of rx.received) expect(independentlyVerify(r.headers['callingbox-signature'] as string, r.body, rotated)).toBe(true);
    } finally {
      await rx.close();
    }
  });
});

describe('crash recovery', () => {
  it('closes calls whose worker stopped heartbeating as failed/worker_lost with their terminal event', async () => {
    const rx = await startWebhookReceiver();
    try {
      const agent = await agentWithHook(rx.url());
      const lc = t.platform.lifecycle;
      const call = await lc.createInbound({ orgId: t.orgId, agentId: agent.id, agentVersion: 1, snapshot: {}, fromNumber: '+15550001111', toNumber: '+14155550100', webhookUrl: agent.webhook_url, metadata: {}, workerId: 'dead-worker' });
      await lc.answered(call.id, 'dead-worker');
      expect(await recoverLostCalls(t.platform.store, lc, t.platform.store.clock)).not.toContain(call.id);
      await t.platform.store.db.updateTable('calls').set({ heartbeat_at: new Date(Date.now() - 31_000) }).where('id', '=', call.id).execute();
      expect(await recoverLostCalls(t.platform.store, lc, t.platform.store.clock)).toContain(call.id);
      const c = (await t.api('GET', `/v1/calls/${call.id}`)).body;
      expect(c).toMatchObject({ status: 'failed', error_code: 'worker_lost', hangup_cause: 'worker_lost', ended_by: 'system' });
      await eventually(async () => rx.received.some((r) => r.json.type === 'call.failed'), 'call.failed');
      expect(rx.received.filter((r) => ['call.completed', 'call.failed', 'call.canceled'].includes(r.json.type))).toHaveLength(1);
    } finally {
      await rx.close();
    }
  });
});
