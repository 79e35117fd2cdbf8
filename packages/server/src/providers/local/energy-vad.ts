/**
 * The fallback detector: frame energy against an adaptive noise floor. It works in stationary
 * noise and fails in modulated noise (82 % false alarms measured, offline-speech notes F6), so it
 * runs only when the Silero model cannot load, and the health check says so.
 */
import type { AudioFrame } from '../../core/audio/audio-frame.ts';
import { untilAborted } from '../abortable.ts';
import type { VadCapabilities } from '../capabilities.ts';
import { VadHysteresis } from '../vad-hysteresis.ts';
import type { VadEvent, VadOptions, VadProvider } from '../vad.ts';

/** Speech is this far above the noise floor at probability 0.5 (notes F6: +9 dB). */
const SPEECH_ABOVE_FLOOR_DB = 9;
/** Width of the dB → probability logistic: ±3 dB moves it from 0.27 to 0.73. */
const LOGISTIC_SCALE_DB = 3;
/** The floor rises slowly (it must not learn speech as noise) and falls fast. */
const FLOOR_RISE_PER_FRAME_DB = 0.05;
/** Quietest floor: digital silence would make any click look like speech. */
const MIN_FLOOR_DBFS = -70;

export class EnergyVad implements VadProvider {
  readonly id = 'energy';
  readonly capabilities: VadCapabilities = { model: 'energy', probabilities: true, windowMs: 20, nativeSampleRatesHz: [8000, 16000, 24000, 48000] };

  async *detect(audio: AsyncIterable<AudioFrame>, opts: VadOptions & { signal: AbortSignal }): AsyncGenerator<VadEvent> {
    const hysteresis = new VadHysteresis(opts);
    let floorDb: number | undefined;
    let endMs = 0;
    for await (const frame of untilAborted(audio, opts.signal)) {
      const level = levelDbfs(frame.samples);
      // The floor follows the noise down at once and up slowly, and not at all during speech.
      const rise = hysteresis.isSpeaking ? 0 : FLOOR_RISE_PER_FRAME_DB;
      floorDb = floorDb === undefined ? Math.max(level, MIN_FLOOR_DBFS) : Math.max(MIN_FLOOR_DBFS, level < floorDb ? level : floorDb + rise);
      const probability = 1 / (1 + Math.exp(-(level - floorDb - SPEECH_ABOVE_FLOOR_DB) / LOGISTIC_SCALE_DB));
      endMs = frame.startMs + (frame.samples.length * 1000) / frame.sampleRateHz;
      yield* hysteresis.push(probability, frame.startMs, endMs);
    }
    if (!opts.signal.aborted) yield* hysteresis.finish(endMs);
  }
}

/** RMS level of PCM16 in dB relative to full scale. */
export function levelDbfs(samples: Int16Array): number {
  let e = 0;
  for (let i = 0; i < samples.length; i++) e += (samples[i] as number) ** 2;
  const rms = Math.sqrt(e / Math.max(1, samples.length)) / 32768;
  return 20 * Math.log10(Math.max(rms, 1e-6));
}
