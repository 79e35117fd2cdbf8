import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, eventually, type TestPlatform } from '@callingbox/testkit';
import { startFakeOpenAiServer } from '@callingbox/testkit/fakes/openai-server.ts';
import type { FakeLlmServer } from '@callingbox/testkit/fakes/fake-llm-server.ts';
import { systemClock } from '../packages/server/src/core/clock.ts';
import type { AudioFrame } from '../packages/server/src/core/audio/audio-frame.ts';
import { framesOf } from '../packages/server/src/core/audio/frames.ts';
import { concatInt16 } from '../packages/server/src/core/audio/resampler.ts';
import { FliteTts } from '../packages/server/src/providers/local/flite-tts.ts';
import { runDialer } from '../packages/server/src/telephony/sip/dialer.ts';
import { SipUserAgent } from '../packages/server/src/telephony/sip/user-agent.ts';

/**
 * A real conversation over SIP/RTP with the whole voice loop: Silero VAD, pocketsphinx and Flite
 * on the platform's side, an OpenAI-compatible model served by a fake OpenAI server speaking the
 * real chat-completions wire protocol, and our SIP dialer as the caller speaking Flite audio.
 */
let t: TestPlatform;
let llm: FakeLlmServer;
let caller: SipUserAgent;
let tts: FliteTts;

beforeAll(async () => {
  llm = await startFakeOpenAiServer();
  t = await createTestPlatform({ sip: true, env: { CALLINGBOX_LLM: 'openai', OPENAI_API_KEY: llm.apiKey, OPENAI_BASE_URL: llm.url } });
  caller = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock, route: async () => ({ reject: 603 }) });
  tts = new FliteTts();
}, 60_000);
afterAll(async () => {
  await caller?.close();
  await tts?.close();
  await t?.close();
  await llm?.close();
});

async function spoken(text: string): Promise<AudioFrame[]> {
  const parts: Int16Array[] = [];
  for await (const f of tts.synthesize(text, { sampleRateHz: 8000, signal: AbortSignal.timeout(20_000) })) parts.push(f.samples);
  return [...framesOf({ samples: concatInt16(parts), sampleRateHz: 8000 })];
}

describe('a spoken conversation with an LLM agent', () => {
  it('greets, recognises the caller, answers through the model, ends with end_call, and keeps the transcript and timeline', async () => {
    const n = (await t.api('POST', '/v1/numbers/purchase', { phone_number: '+14155550161' })).body;
    const agent = (await t.api('POST', '/v1/agents', {
      name: 'Dental desk', type: 'inbound', number_ids: [n.id], first_message: 'Hello, this is the dental office.',
      instructions: 'Help callers with appointments.', tools: [{ type: 'builtin', name: 'end_call' }],
    })).body;
    expect(agent.id).toMatch(/^ag_/);
    llm.reply({ text: ['Of course, ', 'I will move your cleaning. ', 'Goodbye!'], toolCalls: [{ name: 'end_call', arguments: {} }] }, { text: '' });
    const r = await runDialer(caller, {
      to: `sip:${n.e164}@127.0.0.1:${t.platform.sipPort}`, fromNumber: '+15555550142', clock: systemClock, maxCallMs: 90_000, noSpeechTimeoutMs: 40_000,
      steps: [{ say: await spoken('I would like to move my cleaning to next week.') }],
    });
    expect(r.answered).toBe(true);
    expect(r.endedBy).toBe('agent');
    const [call] = (await t.api('GET', `/v1/calls?to_number=${encodeURIComponent(n.e164)}`)).body;
    const done = await eventually(async () => {
      const c = (await t.api('GET', `/v1/calls/${call.id}`)).body;
      return c.status === 'completed' ? c : undefined;
    }, 'completed call');
    expect(done).toMatchObject({ hangup_cause: 'agent_hangup', ended_by: 'agent', error_code: null });
    expect(done.latency).toMatchObject({ p50_ms: expect.any(Number), p95_ms: expect.any(Number) });

    // The model heard the recognised caller text as the user's turn.
    const chat = llm.requests.find((q) => q.path.endsWith('/chat/completions'))!;
    const user = chat.body.messages.find((m: { role: string }) => m.role === 'user');
    expect(String(user.content)).toMatch(/cleaning/);
    expect(chat.body.tools.map((x: { function: { name: string } }) => x.function.name)).toContain('end_call');

    const transcript = (await t.api('GET', `/v1/calls/${call.id}/transcript`)).body;
    expect(transcript.segments.map((s: { role: string; source: string }) => `${s.role}/${s.source}`)).toEqual(['agent/tts', 'caller/stt', 'agent/tts']);
    expect(transcript.segments[0].text).toBe('Hello, this is the dental office.');
    expect(transcript.segments[2]).toMatchObject({ text: 'Of course, I will move your cleaning. Goodbye!', interrupted: false });
    for (const s of transcript.segments) expect(Date.parse(s.ended_at)).toBeGreaterThanOrEqual(Date.parse(s.started_at));

    const events = (await t.api('GET', `/v1/calls/${call.id}/events`)).body.data as Array<{ type: string; data: any }>;
    const turn = events.find((e) => e.type === 'turn')!.data;
    const parts = Object.values(turn.parts_ms as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(parts).toBe(turn.gap_ms);
    expect(turn.gap_ms).toBeGreaterThan(0);
    expect(events.find((e) => e.type === 'tool_call')?.data).toMatchObject({ name: 'end_call', status: 'ok' });
  }, 180_000);

  it('keeps the snapshot for the whole call: a PATCH mid-call applies to the next call only', async () => {
    const n = (await t.api('POST', '/v1/numbers/purchase', { phone_number: '+14155550162' })).body;
    const agent = (await t.api('POST', '/v1/agents', { name: 'Versioned', type: 'inbound', number_ids: [n.id], first_message: 'Hello.', instructions: 'Answer as version one.', voice: 'local:rms' })).body;
    const dial = async (onAnswered?: () => Promise<void>) => {
      llm.reply({ text: 'Noted, goodbye.', toolCalls: [{ name: 'end_call', arguments: {} }] }, { text: '' });
      const before = llm.requests.length;
      let patched: Promise<void> | undefined;
      const r = await runDialer(caller, {
        to: `sip:${n.e164}@127.0.0.1:${t.platform.sipPort}`, fromNumber: '+15555550143', clock: systemClock, maxCallMs: 90_000, noSpeechTimeoutMs: 40_000,
        steps: [{ say: await spoken('Please book a checkup.') }],
        onEvent: (e) => {
          if (e.type === 'answered' && onAnswered) patched = onAnswered();
        },
      });
      await patched;
      expect(r.endedBy).toBe('agent');
      const chat = llm.requests.slice(before).find((q) => q.path.endsWith('/chat/completions'))!;
      return String(chat.body.messages.find((m: { role: string }) => m.role === 'system').content);
    };
    const firstPrompt = await dial(async () => {
      const p = await t.api('PATCH', `/v1/agents/${agent.id}`, { instructions: 'Answer as version two.', voice: 'local:slt' });
      expect(p.body.version).toBe(2);
    });
    expect(firstPrompt).toContain('Answer as version one.');
    expect(firstPrompt).not.toContain('version two');
    const secondPrompt = await dial();
    expect(secondPrompt).toContain('Answer as version two.');
    const calls = (await t.api('GET', `/v1/calls?to_number=${encodeURIComponent(n.e164)}`)).body as Array<{ agent_version: number; voice: string; instructions: string }>;
    expect(calls.map((c) => [c.agent_version, c.voice, c.instructions])).toEqual([
      [2, 'local:slt', 'Answer as version two.'],
      [1, 'local:rms', 'Answer as version one.'],
    ]);
  }, 180_000);
});
