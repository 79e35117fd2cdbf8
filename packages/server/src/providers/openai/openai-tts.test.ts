import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../../testkit/src/eventually.ts';
import { startFakeOpenAiAudio, type FakeOpenAiAudio } from '../../../../testkit/src/fakes/openai-audio-server.ts';
import type { TtsFrame } from '../tts.ts';
import { collect } from '../testing/audio-fixtures.ts';
import { cloudTtsConformance, UNREACHABLE_BASE_URL } from '../testing/cloud-conformance.ts';
import { ttsConformance } from '../testing/conformance.ts';
import { OpenAiTts, type OpenAiTtsOptions } from './openai-tts.ts';

let fake: FakeOpenAiAudio;
beforeAll(async () => {
  fake = await startFakeOpenAiAudio();
});
afterAll(() => fake.close());

const make = (o: Partial<OpenAiTtsOptions> = {}): OpenAiTts => new OpenAiTts({ apiKey: fake.apiKey, baseUrl: fake.url, ...o });
const reset = (): void => {
  Object.assign(fake.settings, { latencyMs: 0, rejectStatus: undefined, speechMsPerChar: 20, speechPacing: {} });
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

describe('OpenAiTts against the fake OpenAI audio API', () => {
  it('asks for 24 kHz pcm per sentence and resamples it to 20 ms frames at the call rate, tagged with the sentence', async () => {
    reset();
    const before = fake.speechRequests.length;
    const out = await collect(make({ instructions: 'Speak calmly.' }).synthesize('Thanks for calling. Goodbye!', { signal: signal(), sampleRateHz: 8000, voice: 'coral' }));
    const reqs = fake.speechRequests.slice(before);
    expect(reqs.map((r) => r.body)).toEqual([
      { model: 'gpt-4o-mini-tts', input: 'Thanks for calling.', voice: 'coral', response_format: 'pcm', instructions: 'Speak calmly.' },
      { model: 'gpt-4o-mini-tts', input: 'Goodbye!', voice: 'coral', response_format: 'pcm', instructions: 'Speak calmly.' },
    ]);
    expect(reqs[0]!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    // 19 and 8 characters at 20 ms each: the resampler keeps the duration.
    expect(framesPerSentence(out)).toEqual([
      [0, 'Thanks for calling.', 19],
      [1, 'Goodbye!', 8],
    ]);
    for (const [i, f] of out.entries()) expect([f.startMs, f.samples.length, f.sampleRateHz]).toEqual([i * 20, 160, 8000]);
  });

  it('passes 24 kHz through untouched', async () => {
    reset();
    const out = await collect(make().synthesize('Okay.', { signal: signal() }));
    expect(out.map((f) => [f.sampleRateHz, f.samples.length])).toEqual(Array.from({ length: 5 }, () => [24000, 480]));
  });

  it('stops at once when aborted mid-sentence and cancels the response', async () => {
    reset();
    fake.settings.speechPacing = { chunkBytes: 960, chunkDelayMs: 20 };
    const ac = new AbortController();
    let n = 0;
    for await (const f of make().synthesize('A long sentence that streams slowly from the fake server.', { signal: ac.signal, sampleRateHz: 8000 })) {
      void f;
      if (++n === 2) ac.abort();
    }
    expect(n).toBe(2);
    await eventually(async () => fake.openResponses() === 0, 'the fake to see the response closed');
  });

  it('fails with provider_unavailable, not retryable, for a voice OpenAI does not have', async () => {
    reset();
    const err = await collect(make().synthesize('Hi.', { signal: signal(), voice: 'nobody' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'provider_unavailable', retryable: false });
    expect((err as Error).message).toContain("Invalid value for 'voice'");
  });
});

ttsConformance('OpenAiTts (fake OpenAI)', () => {
  reset();
  return make();
});
cloudTtsConformance('OpenAiTts (fake OpenAI)', {
  withRejectedKey: () => make({ apiKey: 'sk-wrong' }),
  unreachable: () => make({ baseUrl: UNREACHABLE_BASE_URL }),
});
