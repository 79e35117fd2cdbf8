import { describe, expect, it } from 'vitest';
import { TtsFramer } from './tts-framer.ts';

describe('TtsFramer', () => {
  it('cuts 20 ms frames at the rate, pads the end of each sentence, and never mixes sentences', () => {
    const f = new TtsFramer(8000);
    const a = f.push(new Int16Array(250).fill(1), 0, 'First.');
    expect(a.map((x) => x.samples.length)).toEqual([160]);
    const b = f.push(new Int16Array(100).fill(2), 1, 'Second.');
    // The first sentence's last 90 samples are padded to a frame before the second begins.
    expect(b.map((x) => [x.sentenceIndex, x.startMs])).toEqual([[0, 20]]);
    expect(Array.from(b[0]!.samples.subarray(88, 92))).toEqual([1, 1, 0, 0]);
    const c = f.endSentence();
    expect(c.map((x) => [x.sentenceIndex, x.sentence, x.startMs, x.sampleRateHz])).toEqual([[1, 'Second.', 40, 8000]]);
    expect(f.endSentence()).toEqual([]);
    expect(f.durationMs).toBe(60);
  });
});
