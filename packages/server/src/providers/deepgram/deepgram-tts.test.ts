import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../../testkit/src/eventually.ts';
import { startFakeDeepgram, type FakeDeepgram } from '../../../../testkit/src/fakes/deepgram-server.ts';
import { ProviderError } from '../provider-error.ts';
import type { TtsFrame } from '../tts.ts';
import { collect } from '../testing/audio-fixtures.ts';
import { cloudTtsConformance, UNREACHABLE_BASE_URL } from '../testing/cloud-conformance.ts';
import { ttsConformance } from '../testing/conformance.ts';
import { DeepgramTts, type DeepgramTtsOptions } from './deepgram-tts.ts';

let fake: FakeDeepgram;
beforeAll(async () => {
  fake = await startFakeDeepgram();
});
afterAll(() => fake.close());

const make = (o: Partial<DeepgramTtsOptions> = {}): DeepgramTts => new DeepgramTts({ apiKey: fake.apiKey, baseUrl: fake.url, ...o });
const reset = (): void => {
  Object.assign(fake.settings, { latencyMs: 0, rejectStatus: undefined, speakMsPerChar: 20, speakPacing: {} });
};
const signal = (): AbortSignal => new AbortController().signal;
/** The fake renders 20 ms per character, so a sentence of n characters is exactly n frames. */
const sentencesOf = (frames: TtsFrame[]): Array<[number, string, number]> => {
  const out: Array<[number, string, number]> = [];
  for (const f of frames) {
    const last = out.at(-1);
    if (last && last[0] === f.sentenceIndex) last[2]++;
    else out.push([f.sentenceIndex, f.sentence, 1]);
  }
  return out;
};

describe('DeepgramTts (Aura) against the fake Deepgram', () => {
  it('asks for raw linear16 at the call rate, one request per sentence, and tags each frame with its sentence', async () => {
    reset();
    const before = fake.speakRequests.length;
    const out = await collect(make().synthesize('Hello there. How are you today?', { signal: signal(), sampleRateHz: 8000, voice: 'aura-2-apollo-en' }));
    const reqs = fake.speakRequests.slice(before);
    expect(reqs.map((r) => r.text)).toEqual(['Hello there.', 'How are you today?']);
    expect(Object.fromEntries(reqs[0]!.query)).toEqual({ model: 'aura-2-apollo-en', encoding: 'linear16', sample_rate: '8000', container: 'none' });
    expect(reqs[0]!.headers.authorization).toBe(`Token ${fake.apiKey}`);
    expect(sentencesOf(out)).toEqual([
      [0, 'Hello there.', 12],
      [1, 'How are you today?', 18],
    ]);
    for (const [i, f] of out.entries()) expect([f.startMs, f.samples.length, f.sampleRateHz]).toEqual([i * 20, 160, 8000]);
    expect(Math.max(...out[3]!.samples)).toBeGreaterThan(5000); // the fake's tone, not silence
  });

  it('speaks streamed text as sentences complete, before the text has ended', async () => {
    reset();
    let release: () => void = () => undefined;
    const rest = new Promise<void>((r) => (release = r));
    async function* llm(): AsyncGenerator<string> {
      yield 'Your table ';
      yield 'is booked. ';
      await rest;
      yield 'Goodbye';
    }
    const seen: TtsFrame[] = [];
    for await (const f of make().synthesize(llm(), { signal: signal(), sampleRateHz: 16000 })) {
      if (seen.length === 0) release();
      seen.push(f);
    }
    expect(sentencesOf(seen).map(([i, s]) => [i, s])).toEqual([
      [0, 'Your table is booked.'],
      [1, 'Goodbye'],
    ]);
  });

  it('stops at once when aborted mid-sentence and cancels the response', async () => {
    reset();
    fake.settings.speakPacing = { chunkBytes: 320, chunkDelayMs: 20 };
    const ac = new AbortController();
    let n = 0;
    let abortedAt = 0;
    for await (const f of make().synthesize('This sentence takes a long time to stream from the fake.', { signal: ac.signal, sampleRateHz: 8000 })) {
      void f;
      if (++n === 3) {
        ac.abort();
        abortedAt = performance.now();
      }
    }
    expect(n).toBe(3);
    expect(performance.now() - abortedAt).toBeLessThan(100);
    await eventually(async () => fake.openSpeakResponses() === 0, 'the fake to see the response closed');
  });

  it('fails with provider_unavailable when the connection drops mid-body, after the frames that arrived', async () => {
    reset();
    fake.settings.speakPacing = { cutAfterBytes: 1001 };
    const seen: TtsFrame[] = [];
    const err = await (async () => {
      for await (const f of make().synthesize('A sentence long enough to be cut off in the middle.', { signal: signal(), sampleRateHz: 8000 })) seen.push(f);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(seen.length).toBe(3); // 1001 bytes = 500 samples = three whole 20 ms frames
  });

  it('fails with provider_timeout when the first byte does not come in time', async () => {
    reset();
    fake.settings.latencyMs = 300;
    const err = await collect(make({ timeoutMs: 100 }).synthesize('Hello.', { signal: signal(), sampleRateHz: 8000 })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'provider_timeout' });
  });

  it('fails with provider_unavailable, not retryable, for a voice Deepgram does not have (HTTP 400)', async () => {
    reset();
    fake.settings.rejectStatus = 400;
    const err = await collect(make().synthesize('Hello.', { signal: signal(), sampleRateHz: 8000, voice: 'aura-2-nobody-en' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'provider_unavailable', retryable: false });
  });
});

ttsConformance('DeepgramTts (fake Deepgram)', () => {
  reset();
  return make();
});
cloudTtsConformance('DeepgramTts (fake Deepgram)', {
  withRejectedKey: () => make({ apiKey: 'wrong-key' }),
  unreachable: () => make({ baseUrl: UNREACHABLE_BASE_URL }),
});
