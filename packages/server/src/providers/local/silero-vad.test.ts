import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComponentMissingError } from '../provider-error.ts';
import type { VadEvent } from '../vad.ts';
import { collect, concat, frames, noise, silence, stream, telephone, tone } from '../testing/audio-fixtures.ts';
import { vadConformance } from '../testing/conformance.ts';
import { FliteTts } from './flite-tts.ts';
import { SileroVad } from './silero-vad.ts';

const vad = new SileroVad();
let speech8k: Int16Array; // "Hello, thank you for calling." over the phone, 8 kHz

beforeAll(async () => {
  const tts = new FliteTts();
  try {
    speech8k = await telephone((await tts.synthesizeSentence('Hello, thank you for calling. How can I help you today?')).samples);
  } finally {
    await tts.close();
  }
});

const detect = (samples: Int16Array, signal = new AbortController().signal): Promise<VadEvent[]> => collect(vad.detect(stream(frames(samples, 8000, { startMs: 1000 })), { signal }));
const starts = (ev: VadEvent[]): VadEvent[] => ev.filter((e) => e.type === 'speech_start');
const ends = (ev: VadEvent[]): Array<Extract<VadEvent, { type: 'speech_end' }>> => ev.filter((e): e is Extract<VadEvent, { type: 'speech_end' }> => e.type === 'speech_end');

describe('SileroVad (Silero v5 via sherpa-onnx)', () => {
  it('finds one stretch of telephone speech between silences, with times on the media timeline', async () => {
    const audio = concat(silence(8000, 1000), speech8k, silence(8000, 1000));
    const speechMs = (speech8k.length / 8000) * 1000;
    const ev = await detect(audio);
    expect(starts(ev)).toHaveLength(1);
    const [end] = ends(ev);
    expect(end).toBeDefined();
    // Frames start at 1000 ms; speech spans 2000 … 2000 + speechMs (Flite's own edge silence aside).
    expect(end!.speechStartMs).toBeGreaterThan(1900);
    expect(end!.speechStartMs).toBeLessThan(2300);
    expect(end!.speechEndMs).toBeGreaterThan(2000 + speechMs - 500);
    expect(end!.speechEndMs).toBeLessThan(2000 + speechMs + 400);
    expect(ev.at(-1)!.type).toBe('speech_end');
  });

  it('stays quiet on silence, steady tones and line noise', async () => {
    const ev = await detect(concat(silence(8000, 500), tone(1000, 8000, 1000), noise(8000, 1000, 300), tone(440, 8000, 500, 3000)));
    expect(starts(ev)).toEqual([]);
  });

  it('finds speech under white noise at ~15 dB SNR', async () => {
    const noisy = Int16Array.from(concat(silence(8000, 800), speech8k, silence(8000, 800)), (v, i) => v + ((noise(8000, 1, 1, i)[0] ?? 0) > 0 ? 250 : -250));
    const ev = await detect(noisy);
    expect(starts(ev).length).toBeGreaterThanOrEqual(1);
    expect(starts(ev).length).toBeLessThanOrEqual(2);
  });

  it('closes speech still going when the audio ends', async () => {
    const ev = await detect(concat(silence(8000, 500), speech8k.subarray(0, 8000)));
    expect(starts(ev)).toHaveLength(1);
    expect(ends(ev)).toHaveLength(1);
  });

  it('says what to install when the model is missing', () => {
    let err: unknown;
    try {
      new SileroVad({ modelPath: '/nonexistent/silero_vad_v5.onnx' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ComponentMissingError);
    expect((err as ComponentMissingError).command).toContain('npm install @ricky0123/vad-web');
    expect((err as ComponentMissingError).message).toContain('energy VAD');
  });
});

vadConformance('SileroVad', () => vad);
