/**
 * Structured results end to end (calls.md → Structured results, webhooks.md → call.completed):
 * a connected call's transcript is extracted by the configured model — here the real AI SDK client
 * against the fake OpenAI server — before the one terminal event fires, carrying the result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, eventually, openAiWire, startFakeOpenAiServer, startWebhookReceiver, type FakeLlmServer, type TestPlatform } from '@callingbox/testkit';
import { resumePendingResults } from '../packages/server/src/calls/recovery.ts';

const RETURNS = { caller_name: 'string', callback_number: 'phone', party_size: 'integer' };
const TERMINAL = ['call.completed', 'call.failed', 'call.canceled', 'call.no_answer', 'call.busy'];
const FAST_WEBHOOKS = { CALLINGBOX_WEBHOOK_RETRY_SCHEDULE: '0.05,0.05,0.05,0.05,0.05,0.05,0.05', CALLINGBOX_WEBHOOK_POLL_MS: '20' };

let llm: FakeLlmServer;
let t: TestPlatform;
beforeAll(async () => {
  llm = await startFakeOpenAiServer();
  t = await createTestPlatform({ background: true, env: { ...FAST_WEBHOOKS, CALLINGBOX_EXTRACTION_LLM: 'openai', OPENAI_API_KEY: llm.apiKey, OPENAI_BASE_URL: llm.url } });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await llm?.close();
});

async function agent(p: TestPlatform, webhookUrl: string | null, returns: unknown = RETURNS) {
  return (await p.api('POST', '/v1/agents', { name: 'Desk', type: 'inbound', webhook_url: webhookUrl, returns })).body as { id: string; version: number; returns: unknown; webhook_url: string | null };
}

/** A connected call with a short transcript, still live. */
async function liveCall(p: TestPlatform, a: Awaited<ReturnType<typeof agent>>) {
  const lc = p.platform.lifecycle;
  const call = await lc.createInbound({ orgId: p.orgId, agentId: a.id, agentVersion: a.version, snapshot: { returns: a.returns as never, timezone: 'Europe/Paris' }, fromNumber: '+15550001111', toNumber: '+14155550100', webhookUrl: a.webhook_url, metadata: {}, workerId: 'test' });
  await lc.answered(call.id, 'test');
  const at = Date.now();
  const lines: Array<[string, 'agent' | 'caller']> = [
    ['Front desk, how can I help?', 'agent'],
    ['This is Ada Lovelace, a table for four please.', 'caller'],
    ['Which number should we call back?', 'agent'],
    ['Four one five five five five zero one two three.', 'caller'],
  ];
  for (const [i, [text, role]] of lines.entries()) {
    await p.platform.store.calls.addSegment({ call_id: call.id, sequence_no: i + 1, role, text, started_at: new Date(at + i * 1000), ended_at: new Date(at + i * 1000 + 800), duration_ms: 800, source: role === 'agent' ? 'tts' : 'stt', interrupted: false });
  }
  return call;
}

const GOOD = { values: { caller_name: 'Ada Lovelace', callback_number: '+14155550123', party_size: 4 }, evidence: { caller_name: [2], callback_number: [4], party_size: [2] } };

async function events(p: TestPlatform, callId: string) {
  return (await p.api('GET', `/v1/calls/${callId}/events?limit=200`)).body.data as Array<{ type: string; data: any }>;
}

describe('extraction after a connected call ends', () => {
  it('stores the result, then fires call.completed carrying it; no terminal event before extraction finished', async () => {
    const rx = await startWebhookReceiver();
    try {
      const a = await agent(t, rx.url());
      const call = await liveCall(t, a);
      let answer!: () => void;
      llm.reply({ object: GOOD, waitFor: new Promise<void>((r) => (answer = r)) });
      const ending = t.platform.lifecycle.ended(call.id, { hangupCause: 'caller_hangup', endedBy: 'caller' });
      // While the model thinks: the call has ended, its result is pending, and no terminal event exists.
      const during = await eventually(async () => {
        const c = (await t.api('GET', `/v1/calls/${call.id}`)).body;
        return c.status === 'completed' ? c : null;
      }, 'the status move');
      expect(during).toMatchObject({ result_status: 'pending', result: null, ended_by: 'caller' });
      const rows = await t.platform.store.db.selectFrom('webhook_deliveries').select('event_type').where('call_id', '=', call.id).execute();
      expect(rows.map((r) => r.event_type)).not.toContain('call.completed');
      expect((await t.api('GET', `/v1/calls/${call.id}`)).body.result_status).toBe('pending');

      answer();
      const final = await ending;
      expect(final).toMatchObject({ status: 'completed', result_status: 'completed', result_error: null, result: GOOD.values });
      await eventually(async () => rx.received.length >= 3, 'three deliveries');
      expect(rx.received.map((r) => r.json.type)).toEqual(['call.ringing', 'call.answered', 'call.completed']);
      expect(rx.received[2]!.json.data.call).toMatchObject({ status: 'completed', result_status: 'completed', result: GOOD.values });

      const ev = await events(t, call.id);
      const extraction = ev.find((e) => e.type === 'extraction');
      expect(extraction?.data).toMatchObject({ status: 'completed', model: 'gpt-4o-mini', repaired: false, evidence: GOOD.evidence, duration_ms: expect.any(Number) });
      // The extraction event precedes nothing terminal: it is written with the result.
      expect(ev.map((e) => e.type).indexOf('extraction')).toBeGreaterThan(ev.map((e) => e.type).lastIndexOf('status'));
      // The model saw the numbered transcript.
      expect(openAiWire.userTexts(llm.requests[llm.requests.length - 1]!).join('\n')).toContain('[4] caller: Four one five five five five zero one two three.');
    } finally {
      await rx.close();
    }
  });

  it('repairs an invalid answer once and records it', async () => {
    const a = await agent(t, null);
    const call = await liveCall(t, a);
    llm.reply({ object: { ...GOOD, values: { ...GOOD.values, callback_number: '415 555 0123' } } }, { object: GOOD });
    const final = await t.platform.lifecycle.ended(call.id, { hangupCause: 'caller_hangup', endedBy: 'caller' });
    expect(final).toMatchObject({ result_status: 'completed', result: GOOD.values });
    expect((await events(t, call.id)).find((e) => e.type === 'extraction')?.data).toMatchObject({ status: 'completed', repaired: true });
    expect(openAiWire.userTexts(llm.requests[llm.requests.length - 1]!).join('\n')).toContain('values.callback_number: must be an E.164 phone number');
  });

  it('a failed extraction is result_status failed with result_error, and the terminal event still fires once', async () => {
    const rx = await startWebhookReceiver();
    try {
      const a = await agent(t, rx.url());
      const call = await liveCall(t, a);
      const bad = { object: { values: { caller_name: 7, callback_number: null, party_size: 'four' }, evidence: {} } };
      llm.reply(bad, bad);
      const final = await t.platform.lifecycle.ended(call.id, { hangupCause: 'caller_hangup', endedBy: 'caller' });
      expect(final).toMatchObject({ status: 'completed', result_status: 'failed', result: { caller_name: null, callback_number: null, party_size: null } });
      expect(final!.result_error).toContain('result.party_size');
      await eventually(async () => rx.received.some((r) => r.json.type === 'call.completed'), 'call.completed');
      expect(rx.received.filter((r) => TERMINAL.includes(r.json.type))).toHaveLength(1);
      expect(rx.received.find((r) => r.json.type === 'call.completed')!.json.data.call).toMatchObject({ result_status: 'failed', result_error: expect.stringContaining('party_size') });
      expect((await events(t, call.id)).find((e) => e.type === 'extraction')?.data).toMatchObject({ status: 'failed', repaired: true });
    } finally {
      await rx.close();
    }
  });

  it('a call that connected and then failed is still extracted', async () => {
    const a = await agent(t, null);
    const call = await liveCall(t, a);
    llm.reply({ object: GOOD });
    const final = await t.platform.lifecycle.ended(call.id, { hangupCause: 'provider_error', endedBy: 'system', errorCode: 'provider_unavailable', errorMessage: 'tts down' });
    expect(final).toMatchObject({ status: 'failed', error_code: 'provider_unavailable', result_status: 'completed', result: GOOD.values });
  });

  it('with no returns schema the result is null and completed, without asking the model', async () => {
    const a = await agent(t, null, null);
    const call = await liveCall(t, a);
    const before = llm.requests.length;
    const final = await t.platform.lifecycle.ended(call.id, { hangupCause: 'caller_hangup', endedBy: 'caller' });
    expect(final).toMatchObject({ status: 'completed', result_status: 'completed', result: null });
    expect(llm.requests.length).toBe(before);
  });

  it('a call that never connected keeps result pending and gets its terminal event at once', async () => {
    const a = await agent(t, null);
    const lc = t.platform.lifecycle;
    const call = await lc.createInbound({ orgId: t.orgId, agentId: a.id, agentVersion: a.version, snapshot: { returns: a.returns as never }, fromNumber: '+15550001111', toNumber: '+14155550100', webhookUrl: null, metadata: {}, workerId: 'test' });
    const before = llm.requests.length;
    const final = await lc.ended(call.id, { hangupCause: 'canceled', endedBy: 'caller' });
    expect(final).toMatchObject({ status: 'canceled', result_status: 'pending', result: null });
    expect(llm.requests.length).toBe(before);
    expect((await events(t, call.id)).map((e) => e.type)).not.toContain('extraction');
  });
});

describe('crash between the status move and the result', () => {
  it('recovery finishes the extraction and queues exactly one terminal event; a live owner is left alone', async () => {
    // Its own platform without background work, so no periodic recovery races the one under test.
    const p = await createTestPlatform({ env: { CALLINGBOX_EXTRACTION_LLM: 'openai', OPENAI_API_KEY: llm.apiKey, OPENAI_BASE_URL: llm.url } });
    try {
      const a = await agent(p, 'https://hooks.example.com/desk');
      const call = await liveCall(p, a);
      // The state a process leaves when it dies after the status move: ended, result pending, no terminal event.
      const db = p.platform.store.db;
      await db.updateTable('calls').set({ status: 'completed', ended_at: new Date(), result_status: 'pending', heartbeat_at: new Date(), hangup_cause: 'caller_hangup', ended_by: 'caller' }).where('id', '=', call.id).execute();
      const terminalRows = async () => (await db.selectFrom('webhook_deliveries').select(['event_type', 'payload']).where('call_id', '=', call.id).execute()).filter((r) => TERMINAL.includes(r.event_type));
      const { store, lifecycle } = p.platform;
      expect(await resumePendingResults(store, lifecycle, store.clock)).toEqual([]);
      expect(await terminalRows()).toEqual([]);
      await db.updateTable('calls').set({ heartbeat_at: new Date(Date.now() - 31_000) }).where('id', '=', call.id).execute();
      llm.reply({ object: GOOD });
      expect(await resumePendingResults(store, lifecycle, store.clock)).toEqual([call.id]);
      expect(await resumePendingResults(store, lifecycle, store.clock)).toEqual([]);
      expect((await p.api('GET', `/v1/calls/${call.id}`)).body).toMatchObject({ status: 'completed', result_status: 'completed', result: GOOD.values });
      const rows = await terminalRows();
      expect(rows.map((r) => r.event_type)).toEqual(['call.completed']);
      expect((rows[0]!.payload as any).data.call.result).toEqual(GOOD.values);
    } finally {
      await p.close();
    }
  });
});

describe('POST /v1/calls/{id}/extract', () => {
  it('re-runs with another schema, replaces returns, records the run, fires no webhook', async () => {
    const rx = await startWebhookReceiver();
    try {
      const a = await agent(t, rx.url());
      const call = await liveCall(t, a);
      llm.reply({ object: GOOD });
      await t.platform.lifecycle.ended(call.id, { hangupCause: 'caller_hangup', endedBy: 'caller' });
      await eventually(async () => rx.received.length >= 3, 'the call webhooks');
      const other = { wants_table: 'boolean', seating: ['inside', 'terrace'] };
      llm.reply({ object: { values: { wants_table: true, seating: null }, evidence: { wants_table: [2], seating: [] } } });
      const r = await t.api('POST', `/v1/calls/${call.id}/extract`, { returns: other });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: call.id, returns: other, result: { wants_table: true, seating: null }, result_status: 'completed', result_error: null });
      expect(openAiWire.schema(llm.requests[llm.requests.length - 1]!)).toMatchObject({ properties: { values: { required: ['wants_table', 'seating'] } } });
      const runs = (await events(t, call.id)).filter((e) => e.type === 'extraction');
      expect(runs).toHaveLength(2);
      expect(runs[1]!.data).toMatchObject({ status: 'completed', evidence: { wants_table: [2], seating: [] } });
      // Without a body: the call's (new) returns again.
      llm.reply({ object: { values: { wants_table: false, seating: 'inside' }, evidence: {} } });
      expect((await t.api('POST', `/v1/calls/${call.id}/extract`)).body).toMatchObject({ returns: other, result: { wants_table: false, seating: 'inside' } });
      await new Promise((res) => setTimeout(res, 200));
      expect(rx.received).toHaveLength(3);
    } finally {
      await rx.close();
    }
  });

  it('answers 409 for a call that never connected, 404 for an unknown one, 400 naming an invalid returns field', async () => {
    const a = await agent(t, null);
    const lc = t.platform.lifecycle;
    const call = await lc.createInbound({ orgId: t.orgId, agentId: a.id, agentVersion: a.version, snapshot: { returns: a.returns as never }, fromNumber: '+15550001111', toNumber: '+14155550100', webhookUrl: null, metadata: {}, workerId: 'test' });
    await lc.ended(call.id, { hangupCause: 'canceled', endedBy: 'caller' });
    expect(await t.api('POST', `/v1/calls/${call.id}/extract`)).toMatchObject({ status: 409, body: { code: 'conflict' } });
    expect((await t.api('POST', '/v1/calls/call_00000000000000000000000000/extract')).status).toBe(404);
    const bad = await t.api('POST', `/v1/calls/${call.id}/extract`, { returns: { when: { type: 'time' } } });
    expect(bad).toMatchObject({ status: 400, body: { code: 'invalid_request', param: 'returns.when.type' } });
    expect((await t.api('POST', `/v1/calls/${call.id}/extract`, { returns: {}, extra: 1 })).status).toBe(400);
  });
});

describe('offline extraction (no model configured)', () => {
  it("takes the intake dialogue's confirmed fields, validated, and says so in the extraction event", async () => {
    const p = await createTestPlatform({ env: { CALLINGBOX_EXTRACTION_LLM: 'local' } });
    try {
      const a = await agent(p, null);
      const call = await liveCall(p, a);
      const final = await p.platform.lifecycle.ended(call.id, { hangupCause: 'agent_hangup', endedBy: 'agent', dialogueFields: { caller_name: 'Ada', callback_number: '415 555 0123', party_size: 4 } });
      expect(final).toMatchObject({ result_status: 'completed', result: { caller_name: 'Ada', callback_number: null, party_size: 4 } });
      expect((await events(p, call.id)).find((e) => e.type === 'extraction')?.data).toMatchObject({ status: 'completed', model: 'local-intake', repaired: false });
    } finally {
      await p.close();
    }
  });
});
