import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, eventually, type TestPlatform } from '@callingbox/testkit';
import { startFakeDeepgram, type FakeDeepgram } from '@callingbox/testkit/fakes/deepgram-server.ts';
import { startFakeElevenLabs, type FakeElevenLabs } from '@callingbox/testkit/fakes/elevenlabs-server.ts';
import type { FakeLlmServer } from '@callingbox/testkit/fakes/fake-llm-server.ts';
import { startFakeOpenAiServer } from '@callingbox/testkit/fakes/openai-server.ts';
import { systemClock } from '../packages/server/src/core/clock.ts';
import type { AudioFrame } from '../packages/server/src/core/audio/audio-frame.ts';
import { framesOf } from '../packages/server/src/core/audio/frames.ts';
import { concatInt16 } from '../packages/server/src/core/audio/resampler.ts';
import { FliteTts } from '../packages/server/src/providers/local/flite-tts.ts';
import { runDialer } from '../packages/server/src/telephony/sip/dialer.ts';
import { SipUserAgent } from '../packages/server/src/telephony/sip/user-agent.ts';

/**
 * The voice loop on cloud providers, each reached through its real client and wire protocol at a
 * local fake server: Deepgram live STT (WebSocket), ElevenLabs streaming TTS (WebSocket,
 * ulaw_8000) and an OpenAI chat model — over a real SIP call.
 */
let t: TestPlatform;
let llm: FakeLlmServer;
let deepgram: FakeDeepgram;
let eleven: FakeElevenLabs;
let caller: SipUserAgent;

beforeAll(async () => {
  [llm, deepgram, eleven] = await Promise.all([startFakeOpenAiServer(), startFakeDeepgram(), startFakeElevenLabs()]);
  t = await createTestPlatform({
    sip: true,
    env: {
      CALLINGBOX_LLM: 'openai', OPENAI_API_KEY: llm.apiKey, OPENAI_BASE_URL: llm.url,
      CALLINGBOX_STT: 'deepgram', DEEPGRAM_API_KEY: deepgram.apiKey, DEEPGRAM_BASE_URL: deepgram.url,
      CALLINGBOX_TTS: 'elevenlabs', ELEVENLABS_API_KEY: eleven.apiKey, ELEVENLABS_BASE_URL: eleven.url,
    },
  });
  caller = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock, route: async () => ({ reject: 603 }) });
}, 60_000);
afterAll(async () => {
  await caller?.close();
  await t?.close();
  await Promise.all([llm?.close(), deepgram?.close(), eleven?.close()]);
});

/** Speech (Flite) that the platform's Silero VAD hears; the fake Deepgram supplies the words. */
async function utterance(text: string): Promise<AudioFrame[]> {
  const tts = new FliteTts();
  try {
    const parts: Int16Array[] = [];
    for await (const f of tts.synthesize(text, { sampleRateHz: 8000, signal: AbortSignal.timeout(20_000) })) parts.push(f.samples);
    return [...framesOf({ samples: concatInt16(parts), sampleRateHz: 8000 })];
  } finally {
    await tts.close();
  }
}

async function agentOn(phone: string, firstMessage: string) {
  const n = (await t.api('POST', '/v1/numbers/purchase', { phone_number: phone })).body;
  await t.api('POST', '/v1/agents', { name: 'Cloud desk', type: 'inbound', number_ids: [n.id], first_message: firstMessage, voice: 'elevenlabs:21m00Tcm4TlvDq8ikWAM' });
  return n.e164 as string;
}

async function lastCallTo(e164: string) {
  const [call] = (await t.api('GET', `/v1/calls?to_number=${encodeURIComponent(e164)}`)).body;
  return eventually(async () => {
    const c = (await t.api('GET', `/v1/calls/${call.id}`)).body;
    return ['completed', 'failed'].includes(c.status) ? c : undefined;
  }, 'ended call');
}

describe('the voice loop on cloud providers', () => {
  it('hears the caller through Deepgram, answers through the model, speaks through ElevenLabs', async () => {
    const e164 = await agentOn('+14155550171', 'Hello from the cloud desk.');
    deepgram.settings.transcripts = ['i would like to book a cleaning'];
    llm.reply({ text: 'Booked. Goodbye!', toolCalls: [{ name: 'end_call', arguments: {} }] }, { text: '' });
    const r = await runDialer(caller, { to: `sip:${e164}@127.0.0.1:${t.platform.sipPort}`, fromNumber: '+15555550144', clock: systemClock, maxCallMs: 30_000, noSpeechTimeoutMs: 40_000, steps: [{ say: await utterance('I would like to book a cleaning.') }] });
    expect(r.endedBy).toBe('agent');
    const call = await lastCallTo(e164);
    expect(call).toMatchObject({ status: 'completed', hangup_cause: 'agent_hangup', voice: 'elevenlabs:21m00Tcm4TlvDq8ikWAM' });
    const transcript = (await t.api('GET', `/v1/calls/${call.id}/transcript`)).body.segments as Array<{ role: string; text: string; source: string }>;
    expect(transcript.map((s) => [s.role, s.text])).toEqual([
      ['agent', 'Hello from the cloud desk.'],
      ['caller', 'i would like to book a cleaning'],
      ['agent', 'Booked. Goodbye!'],
    ]);
    // ElevenLabs got the sentences for voice Rachel at the phone line's format; Deepgram was closed properly.
    expect(eleven.sessions.every((s) => s.voiceId === '21m00Tcm4TlvDq8ikWAM')).toBe(true);
    expect(eleven.sessions[0]!.query.get('output_format')).toBe('ulaw_8000');
    const said = eleven.sessions.flatMap((s) => s.messages.map((m: { text?: string }) => m.text ?? '')).join('');
    expect(said).toContain('Hello from the cloud desk.');
    expect(said).toContain('Booked.');
    expect(said).toContain('Goodbye!');
    expect(deepgram.sessions.some((s) => s.controls.includes('CloseStream'))).toBe(true);
    await eventually(async () => (deepgram.openSockets() === 0 && eleven.openSockets() === 0 ? true : undefined), 'provider sockets closed');
  }, 60_000);

  it('a rejected TTS key fails the call with provider_auth within seconds', async () => {
    // A greeting no earlier call cached: it must be synthesised, and the synthesis is refused.
    const e164 = await agentOn('+14155550172', 'Welcome to the other desk.');
    eleven.settings.rejectStatus = 401;
    try {
      const t0 = Date.now();
      const r = await runDialer(caller, { to: `sip:${e164}@127.0.0.1:${t.platform.sipPort}`, fromNumber: '+15555550145', clock: systemClock, maxCallMs: 30_000, steps: [] });
      expect(r.answered).toBe(true);
      const call = await lastCallTo(e164);
      expect(Date.now() - t0).toBeLessThan(8000);
      expect(call).toMatchObject({ status: 'failed', error_code: 'provider_auth', hangup_cause: 'provider_error' });
      const events = (await t.api('GET', `/v1/calls/${call.id}/events`)).body.data as Array<{ type: string; data: Record<string, unknown> }>;
      expect(events.find((e) => e.type === 'error')?.data).toMatchObject({ code: 'provider_auth', recoverable: false });
    } finally {
      eleven.settings.rejectStatus = undefined;
    }
  }, 60_000);
});
