/**
 * The unit of audio every stage passes along. The same shape as the media-session port's frame
 * (`telephony/transport.ts`); it lives here too so that `providers/` and `core/audio/` can name it
 * without importing a layer above them (imports flow one way: core ← providers, telephony).
 */

/** Sample rates a frame may carry: 8 kHz on phone lines, 16/24/48 kHz from browsers and TTS. */
export type SampleRateHz = 8000 | 16000 | 24000 | 48000;

/** Every rate the voice loop converts between, in ascending order. */
export const SAMPLE_RATES_HZ: readonly SampleRateHz[] = [8000, 16000, 24000, 48000];

/** Mono PCM16 audio; `startMs` is the frame's position on the call's media timeline. */
export interface AudioFrame {
  readonly samples: Int16Array;
  readonly sampleRateHz: SampleRateHz;
  readonly startMs: number;
}

/** Duration of `samples` at `sampleRateHz`, in milliseconds. */
export function durationMs(samples: number, sampleRateHz: number): number {
  return (samples * 1000) / sampleRateHz;
}
