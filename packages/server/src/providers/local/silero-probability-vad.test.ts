import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VadEvent } from '../vad.ts';
import { collect, concat, frames, noise, silence, stream, telephone, tone } from '../testing/audio-fixtures.ts';
import { vadConformance } from '../testing/conformance.ts';
import { FliteTts } from './flite-tts.ts';
import { SileroProbabilityVad } from './silero-probability-vad.ts';

const vad = new SileroProbabilityVad();
let speech8k: Int16Array;

beforeAll(async () => {
  const tts = new FliteTts();
  try {
    speech8k = await telephone((await tts.synthesizeSentence('Hello, thank you for calling.')).samples);
  } finally {
    await tts.close();
  }
  await vad.load();
}, 60_000);
afterAll(() => vad.close());

const run = (x: Int16Array, rate: 8000 | 16000 = 8000): Promise<VadEvent[]> => collect(vad.detect(stream(frames(x, rate, { startMs: 1000 })), { signal: new AbortController().signal }));

describe('SileroProbabilityVad (Silero v5 via onnxruntime-web, native 8 kHz)', () => {
  it('gives high probabilities inside telephone speech, low outside, and one start/end pair', async () => {
    const ev = await run(concat(silence(8000, 700), speech8k, noise(8000, 700, 60)));
    const inf = ev.filter((e): e is Extract<VadEvent, { type: 'inference' }> => e.type === 'inference');
    const speechEnd = 1700 + speech8k.length / 8;
    const inside = inf.filter((e) => e.atMs > 2000 && e.atMs < speechEnd - 300).map((e) => e.probability);
    const outside = inf.filter((e) => e.atMs < 1650 || e.atMs > speechEnd + 400).map((e) => e.probability);
    expect(Math.max(...inside)).toBeGreaterThan(0.9);
    expect(Math.max(...outside)).toBeLessThan(0.3);
    expect(inf[1]!.atMs - inf[0]!.atMs).toBe(32);
    const decisions = ev.filter((e) => e.type !== 'inference');
    expect(decisions.map((e) => e.type)).toEqual(['speech_start', 'speech_end']);
    expect(decisions[0]).toMatchObject({ type: 'speech_start' });
    expect((decisions[0] as { speechStartMs: number }).speechStartMs).toBeGreaterThan(1600);
    expect((decisions[0] as { speechStartMs: number }).speechStartMs).toBeLessThan(2000);
  });

  it('does not call a steady tone speech', async () => {
    const ev = await run(concat(tone(1000, 8000, 800), tone(440, 8000, 800, 3000)));
    expect(ev.filter((e) => e.type === 'speech_start')).toEqual([]);
  });
});

vadConformance('SileroProbabilityVad', () => vad);
