/**
 * A small energy detector for the far end's speech, used by the SIP dialer to tell when the agent
 * finished its turn (`telephony.md` → The CLI dialer: "each after the agent finishes its turn").
 * Pure: frames in, start/end events out. Not the voice loop's VAD: it listens to clean synthetic
 * or recorded audio on a loopback line, where loudness is enough.
 */
import type { AudioFrame } from '../transport.ts';

/** Tuning; the defaults suit TTS and tone audio over G.711. */
export interface SpeechActivityOptions {
  /** RMS above which a frame counts as speech: 500 ≈ −36 dBFS, well above G.711 idle noise. */
  readonly thresholdRms?: number;
  /** Consecutive loud frames that start speech (3 × 20 ms), so clicks do not. */
  readonly startFrames?: number;
  /** Quiet time that ends speech. */
  readonly endSilenceMs?: number;
}

/** A change of the far end's state, on the frames' timeline. */
export interface SpeechActivityEvent {
  readonly type: 'speech-start' | 'speech-end';
  readonly atMs: number;
}

/** Tracks speech / silence over a stream of frames. */
export class SpeechActivityDetector {
  private readonly threshold: number;
  private readonly startFrames: number;
  private readonly endSilenceMs: number;
  private loudRun = 0;
  private quietSinceMs: number | undefined;
  private speechStartMs = 0;
  speaking = false;

  constructor(o: SpeechActivityOptions = {}) {
    this.threshold = o.thresholdRms ?? 500;
    this.startFrames = o.startFrames ?? 3;
    this.endSilenceMs = o.endSilenceMs ?? 800;
  }

  /** Feeds one frame; returns the events it caused (at most one). */
  push(f: AudioFrame): SpeechActivityEvent[] {
    let sum = 0;
    for (const v of f.samples) sum += v * v;
    const loud = f.samples.length > 0 && Math.sqrt(sum / f.samples.length) > this.threshold;
    const frameMs = (f.samples.length * 1000) / f.sampleRateHz;
    if (loud) {
      this.quietSinceMs = undefined;
      if (this.loudRun++ === 0) this.speechStartMs = f.startMs;
      if (!this.speaking && this.loudRun >= this.startFrames) {
        this.speaking = true;
        return [{ type: 'speech-start', atMs: this.speechStartMs }];
      }
      return [];
    }
    this.loudRun = 0;
    if (!this.speaking) return [];
    this.quietSinceMs ??= f.startMs;
    if (f.startMs + frameMs - this.quietSinceMs >= this.endSilenceMs) {
      this.speaking = false;
      const at = this.quietSinceMs;
      this.quietSinceMs = undefined;
      return [{ type: 'speech-end', atMs: at }];
    }
    return [];
  }
}
