import { describe, expect, it } from 'vitest';
import { VadHysteresis } from './vad-hysteresis.ts';
import type { VadEvent } from './vad.ts';

/** Feeds 32 ms windows of the given probabilities; returns the decisions (not the per-window inferences). */
function run(probs: number[], opts = {}): VadEvent[] {
  const h = new VadHysteresis(opts);
  const out = probs.flatMap((p, i) => h.push(p, i * 32, (i + 1) * 32));
  return [...out, ...h.finish(probs.length * 32)].filter((e) => e.type !== 'inference');
}

describe('VadHysteresis', () => {
  it('starts after minSpeechMs above the threshold and ends after minSilenceMs below threshold − 0.15', () => {
    const ev = run([0.1, 0.9, 0.9, 0.9, 0.9, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.1]);
    expect(ev).toEqual([
      { type: 'speech_start', atMs: 160, speechStartMs: 32, probability: 0.9 },
      { type: 'speech_end', atMs: 480, speechStartMs: 32, speechEndMs: 160, probability: 0.2 },
    ]);
  });

  it('keeps speaking through values between the two thresholds (no flapping on a fading word)', () => {
    const ev = run([0.9, 0.9, 0.9, 0.9, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4]);
    expect(ev.map((e) => e.type)).toEqual(['speech_start', 'speech_end']);
    expect(ev[1]).toMatchObject({ atMs: 480, speechEndMs: 480 }); // closed only by finish()
  });

  it('ignores a blip shorter than minSpeechMs', () => {
    expect(run([0.1, 0.95, 0.1, 0.1])).toEqual([]);
  });

  it('honours custom thresholds and durations', () => {
    const ev = run([0.75, 0.75, 0.1], { activationThreshold: 0.7, minSpeechMs: 64, minSilenceMs: 32 });
    expect(ev.map((e) => [e.type, e.atMs])).toEqual([['speech_start', 64], ['speech_end', 96]]);
  });
});
