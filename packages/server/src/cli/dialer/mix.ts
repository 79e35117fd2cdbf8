import type { AudioFrame } from '../../telephony/transport.ts';

/**
 * Mixes two 8 kHz frame timelines (what the caller sent, what the agent played) into one track by
 * their `startMs`, saturating at the PCM16 limits: the `--record` file holds both sides.
 */
export function mixTimelines(a: readonly AudioFrame[], b: readonly AudioFrame[], rateHz = 8000): Int16Array {
  const endMs = Math.max(0, ...[...a, ...b].map((f) => f.startMs + (f.samples.length / rateHz) * 1000));
  const out = new Int32Array(Math.ceil((endMs * rateHz) / 1000));
  for (const f of [...a, ...b]) {
    const at = Math.round((f.startMs * rateHz) / 1000);
    for (let i = 0; i < f.samples.length && at + i < out.length; i++) out[at + i]! += f.samples[i]!;
  }
  return Int16Array.from(out, (v) => Math.max(-32768, Math.min(32767, v)));
}
