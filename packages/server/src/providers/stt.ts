/**
 * The speech-to-text port. Streaming: audio frames in, partial and final results out, with the
 * timings the turn timeline needs (`calls.md`, "Per-turn timeline").
 */
import type { AudioFrame } from '../core/audio/audio-frame.ts';
import type { SttCapabilities } from './capabilities.ts';

/** A keyword or key phrase to spot, with its detection threshold (pocketsphinx `-kws` semantics: 1e-50…1e-5, lower finds more). */
export interface Keyword {
  readonly phrase: string;
  readonly threshold?: number;
}

/**
 * What the recogniser should expect next. The dialogue narrows it to what it just asked for —
 * digits, yes/no, enum values, spelled letters — and keeps `general` for free text.
 */
export type RecognitionBias =
  | { readonly kind: 'general' }
  /** A JSGF grammar (W3C JSpeech Grammar Format); `name` caches the compiled search per decoder. */
  | { readonly kind: 'grammar'; readonly name: string; readonly jsgf: string }
  /** Words or phrases to spot in otherwise unconstrained speech. */
  | { readonly kind: 'keywords'; readonly name: string; readonly keywords: readonly Keyword[] };

export interface SttOptions {
  /** BCP 47 language; adapters refuse languages they have no model for. */
  readonly language?: string;
  /** Default `{ kind: 'general' }`. */
  readonly bias?: RecognitionBias;
  /** Emit `partial` events (default true where supported). */
  readonly interimResults?: boolean;
}

/** Where the time of one final result went. */
export interface SttTimings {
  /** Audio in the utterance, ms. */
  readonly audioMs: number;
  /** Wall time the recogniser spent on it, ms (real-time factor = processingMs / audioMs). */
  readonly processingMs: number;
  /** Wall time from the utterance's last audio reaching the recogniser to the final result, ms. */
  readonly finalLatencyMs: number;
}

/** Times named `…Ms` without `Latency` are on the call's media timeline (the frames' `startMs`). */
export type SttEvent =
  | { readonly type: 'speech_start'; readonly utteranceId: number; readonly atMs: number }
  | { readonly type: 'partial'; readonly utteranceId: number; readonly text: string; readonly atMs: number }
  | {
      readonly type: 'final';
      readonly utteranceId: number;
      /** Lower-case words separated by single spaces; empty when nothing was recognised. */
      readonly text: string;
      /** 0…1 where the engine gives one. */
      readonly confidence?: number;
      readonly startMs: number;
      readonly endMs: number;
      readonly timings: SttTimings;
    };

/**
 * A speech recogniser. `transcribe()` reads the caller's audio until it ends (final for the
 * utterance in progress, then done) or the signal aborts (ends quietly, no final, no error).
 */
export interface SttProvider {
  readonly id: string;
  readonly capabilities: SttCapabilities;
  transcribe(audio: AsyncIterable<AudioFrame>, opts: SttOptions & { readonly signal: AbortSignal }): AsyncIterable<SttEvent>;
}
