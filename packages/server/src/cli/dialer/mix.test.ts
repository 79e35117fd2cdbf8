import { describe, expect, it } from 'vitest';
import { mixTimelines } from './mix.ts';

const frame = (startMs: number, value: number) => ({ samples: new Int16Array(160).fill(value), sampleRateHz: 8000 as const, startMs });

describe('mixTimelines', () => {
  it('places frames by start time and sums overlapping audio with saturation', () => {
    const out = mixTimelines([frame(0, 1000), frame(40, 30000)], [frame(20, 2000), frame(40, 30000)]);
    expect(out.length).toBe(480);
    expect(out[0]).toBe(1000);
    expect(out[160]).toBe(2000);
    expect(out[320]).toBe(32767);
  });
  it('is empty for no audio', () => {
    expect(mixTimelines([], []).length).toBe(0);
  });
});
