import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, eventually, type TestPlatform } from '@callingbox/testkit';
import { startFakeOpenAiServer } from '@callingbox/testkit/fakes/openai-server.ts';
import type { FakeLlmServer } from '@callingbox/testkit/fakes/fake-llm-server.ts';
import { systemClock } from '../packages/server/src/core/clock.ts';
import type { AudioFrame } from '../packages/server/src/core/audio/audio-frame.ts';
import { type DialerEvent, runDialer } from '../packages/server/src/telephony/sip/dialer.ts';
import type { InboundInvite } from '../packages/server/src/telephony/sip/invite-router.ts';
import { SipUserAgent } from '../packages/server/src/telephony/sip/user-agent.ts';
import type { MediaTransport } from '../packages/server/src/telephony/transport.ts';

/**
 * `transfer_call` end to end over real SIP/RTP (`telephony.md` → Transfer): an LLM agent (fake
 * OpenAI server) transfers the caller — our dialer — by REFER; when the dialer declines the
 * REFER, the platform bridges an outbound leg through the number's SIP trunk to a second user
 * agent on loopback, and audio flows both ways until either side hangs up.
 */
let t: TestPlatform;
let llm: FakeLlmServer;
let caller: SipUserAgent;

const DESK = '+14155550199';
const TRANSFER_TOOL = { type: 'builtin', name: 'transfer_call', destinations: [{ name: 'front desk', number: DESK, description: 'reception' }] };

beforeAll(async () => {
  llm = await startFakeOpenAiServer();
  t = await createTestPlatform({ sip: true, env: { CALLINGBOX_LLM: 'openai', OPENAI_API_KEY: llm.apiKey, OPENAI_BASE_URL: llm.url } });
  caller = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock, route: async () => ({ reject: 603 }) });
}, 60_000);
afterAll(async () => {
  await caller?.close();
  await t?.close();
  await llm?.close();
});

/** `ms` of a sine at `hz`, 8 kHz frames. */
const tone = (hz: number, ms: number): AudioFrame[] =>
  Array.from({ length: ms / 20 }, (_, i) => ({ samples: Int16Array.from({ length: 160 }, (_, k) => Math.round(8000 * Math.sin((2 * Math.PI * hz * (i * 160 + k)) / 8000))), sampleRateHz: 8000 as const, startMs: i * 20 }));

/** The tone a frame carries, by zero crossings (440 Hz ≈ 18 per 20 ms, 1000 Hz ≈ 40), or 0 for quiet or anything else. */
function toneOf(f: { samples: Int16Array }): 440 | 1000 | 0 {
  let crossings = 0;
  let energy = 0;
  for (let i = 0; i < f.samples.length; i++) {
    energy += Math.abs(f.samples[i]!);
    if (i > 0 && f.samples[i - 1]! < 0 !== f.samples[i]! < 0) crossings++;
  }
  if (energy / f.samples.length < 1500) return 0;
  return crossings >= 15 && crossings <= 21 ? 440 : crossings >= 36 && crossings <= 44 ? 1000 : 0;
}

type Events = Array<{ type: string; data: Record<string, unknown> }>;

async function inboundAgent(e164: string, tools: unknown[]): Promise<void> {
  const n = (await t.api('POST', '/v1/numbers/purchase', { phone_number: e164 })).body;
  // No first message: the model speaks first, so the transfer comes without any caller speech.
  await t.api('POST', '/v1/agents', { name: 'Transferring desk', type: 'inbound', number_ids: [n.id], instructions: 'Transfer callers to the front desk.', tools });
}

async function endedCall(toNumber: string): Promise<{ call: Record<string, unknown>; events: Events }> {
  const call = await eventually(async () => {
    const [c] = (await t.api('GET', `/v1/calls?to_number=${encodeURIComponent(toNumber)}`)).body as Array<Record<string, unknown>>;
    return c && c.status === 'completed' ? c : undefined;
  }, 'a completed call', 15_000);
  const events = (await t.api('GET', `/v1/calls/${String(call.id)}/events`)).body.data as Events;
  return { call, events };
}

describe('transfer_call by SIP REFER', () => {
  it('REFERs the caller to the listed destination; the dialer accepts, and the call ends as transferred', async () => {
    await inboundAgent('+14155550171', [TRANSFER_TOOL]);
    // Only the reply that is surely asked for: the fake's queue is shared by the tests of this file.
    llm.reply({ text: 'Let me put you through to the front desk.', toolCalls: [{ name: 'transfer_call', arguments: { destination: 'front desk' } }] });
    const events: DialerEvent[] = [];
    const r = await runDialer(caller, {
      to: `sip:+14155550171@127.0.0.1:${t.platform.sipPort}`, fromNumber: '+15555550171', clock: systemClock, maxCallMs: 30_000,
      steps: [{ pauseMs: 20_000 }], onEvent: (e) => events.push(e),
    });
    // A sandbox line: the REFER sends the caller back to this installation, where sandbox routing answers.
    expect(r.transferredTo).toBe(`sip:${DESK}@127.0.0.1:${t.platform.sipPort}`);
    expect(r.endedBy).toBe('agent');
    expect(events).toContainEqual({ type: 'transfer', target: r.transferredTo, accepted: true });
    const { call, events: timeline } = await endedCall('+14155550171');
    expect(call).toMatchObject({ hangup_cause: 'transferred', ended_by: 'agent', error_code: null });
    expect(timeline.filter((e) => e.type === 'transfer').map((e) => e.data)).toEqual([{ destination_name: 'front desk', number: DESK, method: 'refer', status: 'completed' }]);
    expect(timeline.find((e) => e.type === 'tool_call')?.data).toMatchObject({ name: 'transfer_call', status: 'ok', result: { ok: true, transferred_to: 'front desk' } });
  }, 60_000);

});

/** The destination: a second user agent on loopback that answers, says a 1000 Hz tone, and listens. */
async function destination(opts: { hangUpAfterHearing440Ms?: number }) {
  const seen: { invite?: InboundInvite; call?: MediaTransport; heard440Ms: number } = { heard440Ms: 0 };
  const ua = await SipUserAgent.start({
    host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock,
    route: async (invite) => {
      seen.invite = invite;
      return {
        accept: async (call: MediaTransport) => {
          seen.call = call;
          void call.play({ frames: tone(1000, 1000) }, { signal: call.ended });
          for await (const f of call.fromCaller) {
            if (toneOf(f) === 440) seen.heard440Ms += 20;
            if (opts.hangUpAfterHearing440Ms !== undefined && seen.heard440Ms >= opts.hangUpAfterHearing440Ms && !call.ended.aborted) {
              await call.hangup({ cause: 'agent_hangup', by: 'agent' });
            }
          }
        },
      };
    },
  });
  return { ua, seen };
}

describe('transfer_call bridged when the caller refuses REFER', () => {
  /** A number on a SIP trunk whose outbound_uri is the destination's user agent, with an agent that transfers at once. */
  async function trunkAgent(e164: string, destPort: number): Promise<void> {
    const trunk = (await t.api('POST', '/v1/sip_trunks', { name: `Carrier ${e164}`, inbound_addresses: ['127.0.0.0/8'], outbound_uri: `sip:127.0.0.1:${destPort}` })).body;
    const n = (await t.api('POST', '/v1/numbers/import', { phone_number: e164, carrier: 'sip', sip_trunk_id: trunk.id })).body;
    await t.api('POST', '/v1/agents', { name: 'Bridging desk', type: 'inbound', number_ids: [n.id], instructions: 'Transfer callers to the front desk.', tools: [TRANSFER_TOOL] });
    llm.reply({ text: 'One moment.', toolCalls: [{ name: 'transfer_call', arguments: { destination: 'front desk' } }] });
  }

  /** The caller declines the REFER, hears the destination's tone, then says a 440 Hz tone of its own. */
  const dial = (e164: string, events: DialerEvent[]) =>
    runDialer(caller, {
      to: `sip:${e164}@127.0.0.1:${t.platform.sipPort}`, fromNumber: '+15555550180', clock: systemClock, maxCallMs: 40_000, noSpeechTimeoutMs: 4000,
      refer: 'decline', steps: [{ pauseMs: 0 }, { say: tone(440, 2000) }], onEvent: (e) => events.push(e),
    });

  const heardTone = (r: { fromAgent: readonly AudioFrame[] }, hz: 440 | 1000): number => r.fromAgent.filter((f) => toneOf(f) === hz).length * 20;

  it('places a leg through the trunk, bridges audio both ways, and ends both sides when the destination hangs up', async () => {
    const dest = await destination({ hangUpAfterHearing440Ms: 1000 });
    try {
      await trunkAgent('+12025550181', dest.ua.port);
      const events: DialerEvent[] = [];
      const r = await dial('+12025550181', events);
      expect(events).toContainEqual({ type: 'transfer', target: `sip:${DESK}@127.0.0.1:${dest.ua.port}`, accepted: false });
      // The leg went out through the trunk, for the listed number, with our number as caller id.
      expect(dest.seen.invite).toMatchObject({ dialledNumber: DESK, callerNumber: '+12025550181' });
      expect(heardTone(r, 1000)).toBeGreaterThanOrEqual(500); // destination → caller
      expect(dest.seen.heard440Ms).toBeGreaterThanOrEqual(1000); // caller → destination
      expect(r.endedBy).toBe('agent'); // the destination hung up, and the platform hung up on the caller
      const { call, events: timeline } = await endedCall('+12025550181');
      expect(call).toMatchObject({ hangup_cause: 'transferred', ended_by: 'agent', error_code: null });
      expect(timeline.filter((e) => e.type === 'transfer').map((e) => e.data)).toEqual([
        { destination_name: 'front desk', number: DESK, method: 'refer', status: 'failed', reason: 'rejected', sip_status: 603 },
        { destination_name: 'front desk', number: DESK, method: 'bridge', status: 'completed' },
      ]);
      await eventually(async () => dest.ua.activeCalls === 0, 'the leg ended at the destination');
    } finally {
      await dest.ua.close();
    }
  }, 90_000);

  it('hangs up the leg when the caller hangs up', async () => {
    const dest = await destination({});
    try {
      await trunkAgent('+12025550182', dest.ua.port);
      const r = await dial('+12025550182', []);
      expect(r.endedBy).toBe('caller');
      expect(heardTone(r, 1000)).toBeGreaterThanOrEqual(500);
      expect(dest.seen.heard440Ms).toBeGreaterThanOrEqual(1000);
      await eventually(async () => dest.seen.call?.ended.aborted, 'the leg ended at the destination');
      expect(dest.seen.call?.ended.reason).toMatchObject({ cause: 'caller_hangup' }); // our BYE reached it
      const { call } = await endedCall('+12025550182');
      expect(call).toMatchObject({ hangup_cause: 'transferred', ended_by: 'caller' });
    } finally {
      await dest.ua.close();
    }
  }, 90_000);
});

// Last: its model replies are all consumed only if the call runs as scripted (the fake's reply queue is shared).
describe('transfer_call to an unlisted destination', () => {
  it('never dials a destination the owner did not list: the model hears the choices and the call goes on', async () => {
    await inboundAgent('+14155550172', [TRANSFER_TOOL, { type: 'builtin', name: 'end_call' }]);
    llm.reply(
      { toolCalls: [{ name: 'transfer_call', arguments: { destination: '+19005550100' } }] },
      { text: 'I can only transfer you to the front desk. Goodbye.', toolCalls: [{ name: 'end_call', arguments: {} }] },
      { text: '' },
    );
    const events: DialerEvent[] = [];
    const r = await runDialer(caller, {
      to: `sip:+14155550172@127.0.0.1:${t.platform.sipPort}`, fromNumber: '+15555550172', clock: systemClock, maxCallMs: 30_000, noSpeechTimeoutMs: 20_000,
      steps: [], onEvent: (e) => events.push(e),
    });
    expect(r.endedBy).toBe('agent');
    expect(r.transferredTo).toBeUndefined();
    expect(events.filter((e) => e.type === 'transfer')).toEqual([]);
    const { call, events: timeline } = await endedCall('+14155550172');
    expect(call).toMatchObject({ hangup_cause: 'agent_hangup' });
    expect(timeline.filter((e) => e.type === 'transfer')).toEqual([]);
    const tool = timeline.find((e) => e.type === 'tool_call' && e.data.name === 'transfer_call')!.data;
    expect(tool).toMatchObject({ status: 'error', result: { error: expect.stringMatching(/unknown destination '\+19005550100'; choose one of: front desk/) } });
  }, 60_000);
});
