import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioFrame } from '../../core/audio/audio-frame.ts';
import { eventually } from '../../../../testkit/src/eventually.ts';
import { startFakeOpenAiAudio, type FakeOpenAiAudio } from '../../../../testkit/src/fakes/openai-audio-server.ts';
import { collect, concat, frames, silence, stream, tone } from '../testing/audio-fixtures.ts';
import { cloudSttConformance, UNREACHABLE_BASE_URL } from '../testing/cloud-conformance.ts';
import { sttConformance } from '../testing/conformance.ts';
import { OpenAiStt, parseTranscription, type OpenAiSttOptions } from './openai-stt.ts';

let fake: FakeOpenAiAudio;
beforeAll(async () => {
  fake = await startFakeOpenAiAudio();
});
afterAll(() => fake.close());

const make = (o: Partial<OpenAiSttOptions> = {}): OpenAiStt => new OpenAiStt({ apiKey: fake.apiKey, baseUrl: fake.url, ...o });
const reset = (): void => {
  Object.assign(fake.settings, { transcripts: [], defaultTranscript: 'Hello world.', latencyMs: 0, rejectStatus: undefined });
};
const signal = (): AbortSignal => new AbortController().signal;

describe('parseTranscription', () => {
  it('reads the documented json response, and nothing else', () => {
    expect(parseTranscription('{"text": "Imagine the wildest idea that you\'ve ever had.", "usage": {"type": "tokens", "input_tokens": 14, "output_tokens": 45, "total_tokens": 59}}')).toBe(
      "Imagine the wildest idea that you've ever had.",
    );
    expect(parseTranscription('{"text": 5}')).toBeUndefined();
    expect(parseTranscription('<html>')).toBeUndefined();
  });
});

describe('OpenAiStt against the fake OpenAI audio API', () => {
  it('sends the utterance as one WAV when its stream ends and yields one final on the media timeline', async () => {
    reset();
    const before = fake.transcriptionRequests.length;
    const audio = frames(concat(silence(8000, 100), tone(440, 8000, 500), silence(8000, 100)), 8000, { startMs: 2000 });
    const ev = await collect(make().transcribe(stream(audio), { signal: signal(), language: 'en-US', bias: { kind: 'keywords', name: 'yn', keywords: [{ phrase: 'yes' }, { phrase: 'no' }] } }));
    expect(ev).toMatchObject([{ type: 'final', utteranceId: 1, text: 'hello world', startMs: 2000, endMs: 2700, timings: { audioMs: 700 } }]);
    const [req] = fake.transcriptionRequests.slice(before);
    expect(req!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(req!.fields).toEqual({ model: 'gpt-4o-mini-transcribe', response_format: 'json', language: 'en', prompt: 'Expected words: yes, no.' });
    expect(req!.fileName).toBe('utterance.wav');
    expect(req!.audio).toMatchObject({ sampleRateHz: 8000, durationMs: 700 });
  });

  it('sends nothing for an utterance with no voiced audio (Whisper invents words for silence)', async () => {
    reset();
    const before = fake.transcriptionRequests.length;
    expect(await collect(make().transcribe(stream(frames(concat(silence(8000, 500), tone(440, 8000, 40)), 8000)), { signal: signal() }))).toEqual([]);
    expect(fake.transcriptionRequests.length).toBe(before);
  });

  it('cuts a stream longer than maxUtteranceMs into utterances and keeps their order', async () => {
    reset();
    fake.settings.transcripts = ['One.', 'Two.', 'Three.'];
    fake.settings.latencyMs = 20;
    const ev = await collect(make({ maxUtteranceMs: 1000 }).transcribe(stream(frames(tone(440, 8000, 2500), 8000)), { signal: signal() }));
    expect(ev.map((e) => [e.utteranceId, e.type === 'final' ? [e.text, e.startMs, e.endMs] : null])).toEqual([
      [1, ['one', 0, 1000]],
      [2, ['two', 1000, 2000]],
      [3, ['three', 2000, 2500]],
    ]);
  });

  it('ends quietly and cancels the request in flight when aborted', async () => {
    reset();
    fake.settings.latencyMs = 2000;
    const ac = new AbortController();
    const run = collect(make().transcribe(stream(frames(tone(440, 8000, 300), 8000)), { signal: ac.signal }));
    await eventually(async () => fake.openResponses() === 1, 'the request at the fake');
    const t0 = performance.now();
    ac.abort();
    expect(await run).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(100);
    await eventually(async () => fake.openResponses() === 0, 'the fake to see the request cancelled');
  });

  it('fails with provider_unavailable (retryable) on HTTP 500 and provider_timeout on a stalled answer', async () => {
    reset();
    fake.settings.rejectStatus = 500;
    const speech = (): AsyncIterable<AudioFrame> => stream(frames(tone(440, 8000, 300), 8000));
    expect(await collect(make().transcribe(speech(), { signal: signal() })).catch((e: unknown) => e)).toMatchObject({ code: 'provider_unavailable', retryable: true });
    reset();
    fake.settings.latencyMs = 500;
    expect(await collect(make({ timeoutMs: 100 }).transcribe(speech(), { signal: signal() })).catch((e: unknown) => e)).toMatchObject({ code: 'provider_timeout' });
  });
});

sttConformance('OpenAiStt (fake OpenAI)', () => {
  reset();
  return make();
});
cloudSttConformance('OpenAiStt (fake OpenAI)', {
  withRejectedKey: () => make({ apiKey: 'sk-wrong' }),
  unreachable: () => make({ baseUrl: UNREACHABLE_BASE_URL }),
});
