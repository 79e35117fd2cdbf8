import { describe, expect, it } from 'vitest';
import type { VadEvent } from '../vad.ts';
import { collect, concat, frames, noise, silence, stream, tone } from '../testing/audio-fixtures.ts';
import { vadConformance } from '../testing/conformance.ts';
import { EnergyVad, levelDbfs } from './energy-vad.ts';

const vad = new EnergyVad();
const run = (x: Int16Array, opts = {}): Promise<VadEvent[]> => collect(vad.detect(stream(frames(x, 8000)), { signal: new AbortController().signal, ...opts }));

describe('EnergyVad (the reported fallback)', () => {
  it('marks a loud burst in quiet line noise with start and end times and per-frame probabilities', async () => {
    const x = concat(noise(8000, 500, 100), tone(300, 8000, 600, 6000), noise(8000, 600, 100, 2));
    const ev = await run(x);
    const start = ev.find((e) => e.type === 'speech_start');
    const end = ev.find((e) => e.type === 'speech_end');
    expect(start).toMatchObject({ speechStartMs: 500 });
    expect(start!.atMs).toBe(600); // after minSpeechMs (100)
    expect(end).toMatchObject({ speechStartMs: 500, speechEndMs: 1100 });
    const inference = ev.filter((e) => e.type === 'inference');
    expect(inference).toHaveLength(85);
    expect(Math.max(...inference.map((e) => e.probability))).toBeGreaterThan(0.99);
  });

  it('ignores a click shorter than minSpeechMs and keeps a short pause inside speech', async () => {
    const click = concat(silence(8000, 300), tone(500, 8000, 40, 8000), silence(8000, 300));
    expect((await run(click)).filter((e) => e.type !== 'inference')).toEqual([]);
    const pause = concat(noise(8000, 300, 50), tone(300, 8000, 400, 6000), noise(8000, 200, 50), tone(300, 8000, 400, 6000), noise(8000, 500, 50));
    expect((await run(pause)).filter((e) => e.type === 'speech_start')).toHaveLength(1);
  });

  it('measures level in dBFS', () => {
    expect(levelDbfs(tone(1000, 8000, 100, 32767))).toBeCloseTo(-3, 0);
    expect(levelDbfs(silence(8000, 20))).toBe(-120);
  });
});

vadConformance('EnergyVad', () => new EnergyVad());
