import { describe, expect, it } from 'vitest';
import type { AudioFrame } from '../transport.ts';
import { SpeechActivityDetector } from './speech-activity.ts';

const timeline = (pattern: string): AudioFrame[] =>
  [...pattern].map((c, i) => ({ samples: new Int16Array(160).fill(c === '#' ? 3000 : c === '.' ? 0 : 80), sampleRateHz: 8000, startMs: i * 20 }));

describe('SpeechActivityDetector', () => {
  it('starts after three loud frames and ends after the quiet time, on the frames timeline', () => {
    const d = new SpeechActivityDetector({ endSilenceMs: 100 });
    const events = timeline('..#.###########.....---....').flatMap((f) => d.push(f));
    expect(events).toEqual([
      { type: 'speech-start', atMs: 80 },
      { type: 'speech-end', atMs: 300 },
    ]);
  });

  it('ignores clicks and low noise', () => {
    const d = new SpeechActivityDetector();
    expect(timeline('#.##.#--------').flatMap((f) => d.push(f))).toEqual([]);
  });
});
