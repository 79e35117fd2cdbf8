/**
 * The voice-activity port: is someone speaking on this audio? The turn detector and barge-in
 * read its events; the adapters live in `local/` (Silero v5, energy fallback).
 */
import type { AudioFrame } from '../core/audio/audio-frame.ts';
import type { VadCapabilities } from './capabilities.ts';

/** Tuning shared by every detector; defaults are the adapter's. */
export interface VadOptions {
  /** Speech probability at or above which a window counts as speech (default 0.5). */
  readonly activationThreshold?: number;
  /** Speech must last this long before `speech_start` (default 100 ms): clicks and coughs are ignored. */
  readonly minSpeechMs?: number;
  /** Silence must last this long before `speech_end` (default 300 ms): pauses between words are kept inside. */
  readonly minSilenceMs?: number;
}

/** Times are on the call's media timeline (the frames' `startMs`), not the wall clock. */
export type VadEvent =
  /** Speech began at `speechStartMs`; decided at `atMs` (after `minSpeechMs`). */
  | { readonly type: 'speech_start'; readonly atMs: number; readonly speechStartMs: number; readonly probability?: number }
  /** Speech that began at `speechStartMs` ended at `speechEndMs`; decided at `atMs` (after `minSilenceMs`). */
  | { readonly type: 'speech_end'; readonly atMs: number; readonly speechStartMs: number; readonly speechEndMs: number; readonly probability?: number }
  /** One analysis window, only from detectors with `capabilities.probabilities`. */
  | { readonly type: 'inference'; readonly atMs: number; readonly probability: number; readonly speaking: boolean };

/** A voice-activity detector. One `detect()` per audio stream; it ends when the audio ends or the signal aborts (quietly). */
export interface VadProvider {
  readonly id: string;
  readonly capabilities: VadCapabilities;
  detect(audio: AsyncIterable<AudioFrame>, opts: VadOptions & { readonly signal: AbortSignal }): AsyncIterable<VadEvent>;
}
