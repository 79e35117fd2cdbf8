import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeElevenLabs, type FakeElevenLabs } from '../../../../testkit/src/fakes/elevenlabs-server.ts';
import { ProviderError } from '../provider-error.ts';
import type { TtsFrame } from '../tts.ts';
import { collect } from '../testing/audio-fixtures.ts';
import { cloudTtsConformance, UNREACHABLE_BASE_URL } from '../testing/cloud-conformance.ts';
import { ttsConformance } from '../testing/conformance.ts';
import { ElevenLabsTts, type ElevenLabsTtsOptions } from './elevenlabs-tts.ts';

let fake: FakeElevenLabs;
beforeAll(async () => {
  fake = await startFakeElevenLabs();
});
afterAll(() => fake.close());

const make = (o: Partial<ElevenLabsTtsOptions> = {}): ElevenLabsTts => new ElevenLabsTts({ apiKey: fake.apiKey, baseUrl: fake.url, ...o });
const reset = (): void => {
  Object.assign(fake.settings, { latencyMs: 0, chunkDelayMs: 0, chunkMs: 100, msPerChar: 20, rejectStatus: undefined, dropAfterChunks: undefined });
};
const signal = (): AbortSignal => new AbortController().signal;
const framesPerSentence = (frames: TtsFrame[]): Array<[number, string, number]> => {
  const out: Array<[number, string, number]> = [];
  for (const f of frames) {
    const last = out.at(-1);
    if (last && last[0] === f.sentenceIndex) last[2]++;
    else out.push([f.sentenceIndex, f.sentence, 1]);
  }
  return out;
};

describe('ElevenLabsTts against the fake ElevenLabs', () => {
  it('streams sentences with flush and decodes ulaw_8000 into 20 ms frames tagged with their sentence', async () => {
    reset();
    const tts = make();
    const out = await collect(tts.synthesize('Hello there. How are you today?', { signal: signal(), sampleRateHz: 8000, voice: 'voice-123' }));
    const s = fake.sessions.at(-1)!;
    expect(s.voiceId).toBe('voice-123');
    expect(Object.fromEntries(s.query)).toEqual({ model_id: 'eleven_flash_v2_5', output_format: 'ulaw_8000', inactivity_timeout: '60' });
    expect(s.messages).toEqual([
      { text: ' ', voice_settings: { stability: 0.5, similarity_boost: 0.75 }, xi_api_key: fake.apiKey },
      { text: 'Hello there. ', try_trigger_generation: true, flush: true },
      { text: 'How are you today? ', try_trigger_generation: true, flush: true },
      { text: '' },
    ]);
    // The fake renders 20 ms per non-space character: 11 and 15 frames.
    expect(framesPerSentence(out)).toEqual([
      [0, 'Hello there.', 11],
      [1, 'How are you today?', 15],
    ]);
    for (const [i, f] of out.entries()) expect([f.startMs, f.samples.length, f.sampleRateHz]).toEqual([i * 20, 160, 8000]);
    expect(Math.max(...out[2]!.samples)).toBeGreaterThan(5000); // μ-law decoded, not bytes
    expect(await s.closed).toEqual({ code: 1000, by: 'server' });
    await tts.idle();
  });

  it('asks for pcm_16000 at 16 kHz', async () => {
    reset();
    const out = await collect(make().synthesize('Okay.', { signal: signal(), sampleRateHz: 16000 }));
    expect(fake.sessions.at(-1)!.query.get('output_format')).toBe('pcm_16000');
    expect(out.map((f) => f.samples.length)).toEqual([320, 320, 320, 320, 320]); // 5 characters
  });

  it('sends each sentence as the streamed text completes it and plays it before the text has ended', async () => {
    reset();
    let release: () => void = () => undefined;
    const rest = new Promise<void>((r) => (release = r));
    async function* llm(): AsyncGenerator<string> {
      yield 'Your booking ';
      yield 'is confirmed. ';
      await rest;
      yield 'Bye';
    }
    const seen: TtsFrame[] = [];
    for await (const f of make().synthesize(llm(), { signal: signal(), sampleRateHz: 8000 })) {
      if (seen.length === 0) release();
      seen.push(f);
    }
    expect(framesPerSentence(seen).map(([i, s]) => [i, s])).toEqual([
      [0, 'Your booking is confirmed.'],
      [1, 'Bye'],
    ]);
  });

  it('stops at once when aborted mid-sentence and closes the socket quietly', async () => {
    reset();
    Object.assign(fake.settings, { chunkMs: 20, chunkDelayMs: 30 });
    const tts = make();
    const ac = new AbortController();
    let n = 0;
    for await (const f of tts.synthesize('This sentence is long enough to be cut off. And another.', { signal: ac.signal, sampleRateHz: 8000 })) {
      void f;
      if (++n === 3) ac.abort();
    }
    expect(n).toBe(3);
    const s = fake.sessions.at(-1)!;
    expect(await s.closed).toEqual({ code: 1000, by: 'client' });
    expect(s.chunks).toBeLessThan(10); // of the 44 the whole text takes: the fake stopped when the socket closed
    await tts.idle();
  });

  it('fails with provider_unavailable when the socket drops mid-stream', async () => {
    reset();
    Object.assign(fake.settings, { chunkMs: 40, dropAfterChunks: 2 });
    const seen: TtsFrame[] = [];
    const err = await (async () => {
      for await (const f of make().synthesize('A sentence that will not finish.', { signal: signal(), sampleRateHz: 8000 })) seen.push(f);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(seen.length).toBe(4); // two 40 ms chunks arrived
  });

  it('fails with provider_auth when the handshake is refused', async () => {
    reset();
    fake.settings.rejectStatus = 401;
    const err = await collect(make().synthesize('Hello.', { signal: signal(), sampleRateHz: 8000 })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'provider_auth' });
  });

  it('yields nothing and closes the socket when the streamed text is empty', async () => {
    reset();
    async function* nothing(): AsyncGenerator<string> {
      yield '  ';
    }
    const tts = make();
    expect(await collect(tts.synthesize(nothing(), { signal: signal(), sampleRateHz: 8000 }))).toEqual([]);
    await tts.idle();
    expect(fake.openSockets()).toBe(0);
  });
});

ttsConformance('ElevenLabsTts (fake ElevenLabs)', () => {
  reset();
  return make();
});
cloudTtsConformance('ElevenLabsTts (fake ElevenLabs)', {
  withRejectedKey: () => make({ apiKey: 'xi-wrong' }),
  unreachable: () => make({ baseUrl: UNREACHABLE_BASE_URL }),
});
