/**
 * Converts PCM16 at 16/24/48 kHz to the 8 kHz of a phone line by averaging each group of samples
 * (integer-factor decimation with a box filter). A stop-gap until `core/audio` provides the
 * project's resampler; phone audio above 4 kHz is cut by G.711 anyway.
 */
import type { SampleRateHz } from '../transport.ts';

/** Returns 8 kHz samples (the same array when already 8 kHz). */
export function toNarrowband(samples: Int16Array, rateHz: SampleRateHz): Int16Array {
  if (rateHz === 8000) return samples;
  const factor = rateHz / 8000;
  const out = new Int16Array(Math.floor(samples.length / factor));
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let k = 0; k < factor; k++) sum += samples[i * factor + k] as number;
    out[i] = Math.round(sum / factor);
  }
  return out;
}
