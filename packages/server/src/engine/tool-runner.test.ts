import { describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../telephony/testing/fake-clock.ts';
import type { TransferResult } from '../telephony/transport.ts';
import type { ToolInvocation } from './dialogue.ts';
import { clearlyAgrees, createToolRunner, type BridgeResult, type CallControl, type HttpToolClient, type HttpToolRequest, type HttpToolResponse, type ToolCallEvent } from './tool-runner.ts';

const BOOK = {
  type: 'http', name: 'book', description: 'Books a slot', url: 'https://tools.example/book', policy: 'confirm_first_write',
  parameters: { type: 'object', properties: { date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } }, required: ['date'], additionalProperties: false },
  headers: { Authorization: 'Bearer owner', 'callingbox-call-id': 'spoofed' }, timeout_ms: 1500,
};
const LOOKUP = { type: 'http', name: 'lookup', description: 'Looks up', url: 'https://tools.example/lookup', policy: 'read', parameters: { type: 'object' } };
const TRANSFER = { type: 'builtin', name: 'transfer_call', destinations: [{ name: 'front desk', number: '+14155550100' }] };
const DTMF = { type: 'builtin', name: 'send_dtmf' };

class FakeHttp implements HttpToolClient {
  requests: HttpToolRequest[] = [];
  constructor(private readonly answer: (req: HttpToolRequest) => Promise<HttpToolResponse> = () => Promise.resolve({ status: 200, body: { ok: 'booked' } })) {}
  post(req: HttpToolRequest): Promise<HttpToolResponse> {
    this.requests.push(req);
    return this.answer(req);
  }
}

function setup(opts: { tools?: unknown[]; http?: FakeHttp; transfer?: CallControl['transfer'] | null; bridge?: CallControl['bridge']; clock?: FakeClock } = {}) {
  const clock = opts.clock ?? new FakeClock(0);
  const journal: ToolCallEvent[] = [];
  const events: { type: string; data: Record<string, unknown> }[] = [];
  const dtmf: string[] = [];
  let ended = 0;
  const control: CallControl = {
    endAfterReply: () => void ended++,
    sendDtmf: (digits) => {
      dtmf.push(digits);
      return Promise.resolve();
    },
    recordEvent: (type, data) => {
      events.push({ type, data });
      return Promise.resolve();
    },
    ...(opts.transfer === null ? {} : { transfer: opts.transfer ?? ((): Promise<TransferResult> => Promise.resolve({ transferred: true })) }),
    ...(opts.bridge ? { bridge: opts.bridge } : {}),
  };
  const http = opts.http ?? new FakeHttp();
  const runner = createToolRunner({
    tools: opts.tools ?? [BOOK, LOOKUP, TRANSFER, DTMF], callId: 'call_1', agentId: 'agt_1', clock, control, http,
    journal: (e) => {
      journal.push(e);
      return Promise.resolve();
    },
  });
  return { runner, journal, events, dtmf, http, clock, ended: () => ended };
}

const call = (name: string, args: unknown, id = `call_${name}`): ToolInvocation => ({ id, name, arguments: args });
const live = { signal: new AbortController().signal, callerLastTurn: 'yes please' };

describe('tool runner', () => {
  it('runs an HTTP tool with the arguments as body and the call headers, owner headers never overriding ours', async () => {
    const s = setup();
    const r = await s.runner.run(call('book', { date: '2026-05-01' }), live);
    expect(r).toEqual({ result: { ok: 'booked' }, status: 'ok' });
    const req = s.http.requests[0]!;
    expect(req).toMatchObject({ url: 'https://tools.example/book', method: 'POST', body: { date: '2026-05-01' }, timeoutMs: 1500 });
    expect(req.headers).toEqual({
      Authorization: 'Bearer owner', 'CallingBox-Call-Id': 'call_1', 'CallingBox-Agent-Id': 'agt_1', 'CallingBox-Tool-Name': 'book', 'Idempotency-Key': 'call_book',
    });
    expect(s.journal).toEqual([{ tool_call_id: 'call_book', name: 'book', arguments: { date: '2026-05-01' }, result: { ok: 'booked' }, status: 'ok', duration_ms: 0 }]);
  });

  it('defaults the timeout to 5000 ms, journals the duration from the clock, and answers {ok:true} for an empty body', async () => {
    const clock = new FakeClock(0);
    const clockDriven = new FakeHttp(async () => {
      await clock.sleep(120);
      return { status: 200, body: [1] };
    });
    const t = setup({ http: clockDriven, clock });
    const pending = t.runner.run(call('lookup', {}), live);
    await vi.waitFor(() => expect(clock.pending).toBe(1));
    await clock.advance(120);
    expect(await pending).toEqual({ result: [1], status: 'ok' });
    expect(clockDriven.requests[0]!.timeoutMs).toBe(5000);
    expect(t.journal[0]!.duration_ms).toBe(120);
    const s = setup({ http: new FakeHttp(() => Promise.resolve({ status: 204, body: null })) });
    expect(await s.runner.run(call('lookup', {}), live)).toEqual({ result: { ok: true }, status: 'ok' });
  });

  it('executes a tool call id at most once; a repeat is skipped with the first result', async () => {
    const s = setup();
    await s.runner.run(call('book', { date: '2026-05-01' }, 'call_A'), live);
    const again = await s.runner.run(call('book', { date: '2026-05-01' }, 'call_A'), live);
    expect(again).toEqual({ result: { ok: 'booked' }, status: 'skipped' });
    expect(s.http.requests).toHaveLength(1);
    expect(s.journal.map((j) => j.status)).toEqual(['ok', 'skipped']);
  });

  it('refuses arguments that do not match the parameters schema, without a request', async () => {
    const s = setup();
    const r = await s.runner.run(call('book', { date: 'tomorrow' }), live);
    expect(r.status).toBe('error');
    expect((r.result as { error: string }).error).toMatch(/invalid arguments: arguments\/date must match pattern/);
    expect(s.http.requests).toHaveLength(0);
  });

  it('turns a non-2xx answer and a client failure into an error result', async () => {
    const s = setup({ http: new FakeHttp(() => Promise.resolve({ status: 503, body: 'busy' })) });
    expect(await s.runner.run(call('lookup', {}), live)).toEqual({ result: { error: 'HTTP 503' }, status: 'error' });
    const t = setup({ http: new FakeHttp(() => Promise.reject(new Error('timed out after 5000 ms'))) });
    expect(await t.runner.run(call('lookup', {}), live)).toEqual({ result: { error: 'timed out after 5000 ms' }, status: 'error' });
  });

  it.each([
    ['yes please', true], ['Yeah, go ahead.', true], ['sure', true], ["That’s right", true], ['correct', true], ['please do', true],
    ['no', false], ["yes, wait, don't", false], ['not correct', false], ['hmm, next week maybe', false], ['[DTMF 1]', false], ['I know, yes but wait', false],
  ])('confirm_first_write: "%s" agrees → %s', async (turn, runs) => {
    expect(clearlyAgrees(turn)).toBe(runs);
    const s = setup();
    const r = await s.runner.run(call('book', { date: '2026-05-01' }), { ...live, callerLastTurn: turn });
    if (runs) expect(r.status).toBe('ok');
    else expect(r).toEqual({ result: { status: 'confirmation_required' }, status: 'skipped' });
    expect(s.http.requests).toHaveLength(runs ? 1 : 0);
    expect(s.journal).toHaveLength(1);
  });

  it('end_call ends the call after the reply', async () => {
    const s = setup({ tools: [] });
    expect(await s.runner.run(call('end_call', {}), live)).toEqual({ result: { ok: true }, status: 'ok' });
    expect(s.ended()).toBe(1);
  });

  it('send_dtmf sends valid keys and records a to_caller dtmf event; bad keys are refused', async () => {
    const s = setup();
    expect(await s.runner.run(call('send_dtmf', { digits: '12#' }), live)).toEqual({ result: { ok: true }, status: 'ok' });
    expect(s.dtmf).toEqual(['12#']);
    expect(s.events).toEqual([{ type: 'dtmf', data: { digits: '12#', direction: 'to_caller' } }]);
    expect((await s.runner.run(call('send_dtmf', { digits: '12x' }, 'call_bad'), live)).status).toBe('error');
    expect(s.dtmf).toEqual(['12#']);
  });

  it('an unlisted built-in or unknown tool is an error result', async () => {
    const s = setup({ tools: [] });
    expect(await s.runner.run(call('send_dtmf', { digits: '1' }), live)).toEqual({ result: { error: "unknown tool 'send_dtmf'" }, status: 'error' });
  });

  it('transfer_call dials only a listed destination, by name, and records the transfer', async () => {
    const dialled: string[] = [];
    const s = setup({ transfer: (n) => (dialled.push(n), Promise.resolve({ transferred: true })) });
    const unknown = await s.runner.run(call('transfer_call', { destination: '+19005550199' }, 'call_x'), live);
    expect(unknown.status).toBe('error');
    expect((unknown.result as { error: string }).error).toMatch(/unknown destination '\+19005550199'; choose one of: front desk/);
    expect(dialled).toEqual([]);
    expect(await s.runner.run(call('transfer_call', { destination: 'Front Desk' }), live)).toEqual({ result: { ok: true, transferred_to: 'front desk' }, status: 'ok' });
    expect(dialled).toEqual(['+14155550100']);
    expect(s.events).toEqual([{ type: 'transfer', data: { destination_name: 'front desk', number: '+14155550100', method: 'refer', status: 'completed' } }]);
  });

  it('transfer_call without transfer support, or refused, is an error result and a failed transfer event', async () => {
    const none = setup({ transfer: null });
    expect((await none.runner.run(call('transfer_call', { destination: 'front desk' }), live)).status).toBe('error');
    expect(none.events[0]).toEqual({ type: 'transfer', data: { destination_name: 'front desk', number: '+14155550100', method: 'refer', status: 'failed', reason: 'unsupported' } });
    const refused = setup({ transfer: () => Promise.resolve({ transferred: false, reason: 'rejected', status: 603 }) });
    expect(await refused.runner.run(call('transfer_call', { destination: 'front desk' }), live)).toEqual({ result: { error: 'the transfer failed (rejected)' }, status: 'error' });
    expect(refused.events[0]!.data).toMatchObject({ method: 'refer', status: 'failed', reason: 'rejected' });
  });

  it('transfer_call bridges a leg when the far end refuses REFER (405/501/603, timeout) or the line cannot REFER', async () => {
    const desk = { destination_name: 'front desk', number: '+14155550100' };
    const bridged: string[] = [];
    const bridge = (n: string): Promise<BridgeResult> => (bridged.push(n), Promise.resolve({ bridged: true }));
    const refused = setup({ transfer: () => Promise.resolve({ transferred: false, reason: 'rejected', status: 603 }), bridge });
    expect(await refused.runner.run(call('transfer_call', { destination: 'front desk' }), live)).toEqual({ result: { ok: true, transferred_to: 'front desk' }, status: 'ok' });
    expect(refused.events.map((e) => e.data)).toEqual([
      { ...desk, method: 'refer', status: 'failed', reason: 'rejected', sip_status: 603 },
      { ...desk, method: 'bridge', status: 'completed' },
    ]);
    const noRefer = setup({ transfer: null, bridge });
    expect((await noRefer.runner.run(call('transfer_call', { destination: 'front desk' }), live)).status).toBe('ok');
    expect(noRefer.events.map((e) => e.data)).toEqual([{ ...desk, method: 'bridge', status: 'completed' }]);
    expect(bridged).toEqual(['+14155550100', '+14155550100']);
  });

  it('transfer_call does not bridge after a REFER that was accepted but failed, and reports a leg that was not answered', async () => {
    const bridged: string[] = [];
    const accepted = setup({ transfer: () => Promise.resolve({ transferred: false, reason: 'failed', status: 486 }), bridge: (n) => (bridged.push(n), Promise.resolve({ bridged: true })) });
    expect(await accepted.runner.run(call('transfer_call', { destination: 'front desk' }), live)).toEqual({ result: { error: 'the transfer failed (failed)' }, status: 'error' });
    expect(bridged).toEqual([]);
    const busy = setup({ transfer: () => Promise.resolve({ transferred: false, reason: 'rejected', status: 405 }), bridge: () => Promise.resolve({ bridged: false, reason: 'busy', status: 486 }) });
    expect(await busy.runner.run(call('transfer_call', { destination: 'front desk' }), live)).toEqual({ result: { error: 'the transfer failed (busy)' }, status: 'error' });
    expect(busy.events.at(-1)?.data).toMatchObject({ method: 'bridge', status: 'failed', reason: 'busy', sip_status: 486 });
  });

  it('an aborted signal rejects before anything runs; an abort in flight rejects and journals the cancellation', async () => {
    const s = setup();
    const ac = new AbortController();
    ac.abort();
    await expect(s.runner.run(call('lookup', {}), { signal: ac.signal, callerLastTurn: '' })).rejects.toMatchObject({ name: 'AbortError' });
    expect(s.http.requests).toHaveLength(0);
    expect(s.journal).toHaveLength(0);

    const slow = new FakeHttp((req) => new Promise((_r, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason as Error))));
    const t = setup({ http: slow });
    const ac2 = new AbortController();
    const p = t.runner.run(call('lookup', {}), { signal: ac2.signal, callerLastTurn: '' });
    ac2.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(t.journal).toEqual([expect.objectContaining({ status: 'error', result: { error: 'cancelled' } })]);
  });

  it('a journal failure does not fail the tool call', async () => {
    const s = setup({ tools: [] });
    const runner = createToolRunner({
      tools: [], callId: 'c', agentId: 'a', clock: s.clock, http: s.http,
      control: { endAfterReply: () => undefined, sendDtmf: () => Promise.resolve(), recordEvent: () => Promise.resolve() },
      journal: () => Promise.reject(new Error('store down')),
    });
    expect(await runner.run(call('end_call', {}), live)).toEqual({ result: { ok: true }, status: 'ok' });
  });
});
