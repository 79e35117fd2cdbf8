/**
 * Turns per-window speech probabilities into `speech_start` / `speech_end` events with two
 * thresholds and two minimum durations, the way Silero's reference `VADIterator` does: a window
 * counts as speech at `activationThreshold`, as silence below `activationThreshold − 0.15`, and
 * in between keeps the current state (so a fading word does not flap).
 */
import type { VadEvent, VadOptions } from './vad.ts';

/** Silero's reference gap between the speech and silence thresholds. */
const DEACTIVATION_GAP = 0.15;

export const DEFAULT_VAD_OPTIONS: Required<VadOptions> = { activationThreshold: 0.5, minSpeechMs: 100, minSilenceMs: 300 };

export class VadHysteresis {
  private readonly on: number;
  private readonly off: number;
  private readonly minSpeechMs: number;
  private readonly minSilenceMs: number;
  private speaking = false;
  /** Start of the current run of speech-looking windows while not yet speaking. */
  private candidateStartMs: number | undefined;
  /** Start of the current run of silence-looking windows while speaking. */
  private silenceStartMs: number | undefined;
  private speechStartMs = 0;

  constructor(opts: VadOptions = {}) {
    this.on = opts.activationThreshold ?? DEFAULT_VAD_OPTIONS.activationThreshold;
    this.off = Math.max(0.01, this.on - DEACTIVATION_GAP);
    this.minSpeechMs = opts.minSpeechMs ?? DEFAULT_VAD_OPTIONS.minSpeechMs;
    this.minSilenceMs = opts.minSilenceMs ?? DEFAULT_VAD_OPTIONS.minSilenceMs;
  }

  get isSpeaking(): boolean {
    return this.speaking;
  }

  /** Feeds one window `[startMs, endMs)`; returns the events it decides. */
  push(probability: number, startMs: number, endMs: number): VadEvent[] {
    const out: VadEvent[] = [];
    if (!this.speaking) {
      if (probability >= this.on) {
        this.candidateStartMs ??= startMs;
        if (endMs - this.candidateStartMs >= this.minSpeechMs) {
          this.speaking = true;
          this.speechStartMs = this.candidateStartMs;
          this.silenceStartMs = undefined;
          out.push({ type: 'speech_start', atMs: endMs, speechStartMs: this.speechStartMs, probability });
        }
      } else if (probability < this.off) {
        this.candidateStartMs = undefined;
      }
    } else if (probability < this.off) {
      this.silenceStartMs ??= startMs;
      if (endMs - this.silenceStartMs >= this.minSilenceMs) {
        out.push({ type: 'speech_end', atMs: endMs, speechStartMs: this.speechStartMs, speechEndMs: this.silenceStartMs, probability });
        this.speaking = false;
        this.candidateStartMs = undefined;
        this.silenceStartMs = undefined;
      }
    } else if (probability >= this.on) {
      this.silenceStartMs = undefined;
    }
    out.push({ type: 'inference', atMs: endMs, probability, speaking: this.speaking });
    return out;
  }

  /** Ends the stream: closes speech in progress at `endMs`. */
  finish(endMs: number): VadEvent[] {
    if (!this.speaking) return [];
    this.speaking = false;
    return [{ type: 'speech_end', atMs: endMs, speechStartMs: this.speechStartMs, speechEndMs: this.silenceStartMs ?? endMs }];
  }
}
