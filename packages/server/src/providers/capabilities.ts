/**
 * What an adapter of a provider port can do, so that the voice loop picks behaviour from facts
 * rather than from the adapter's name (e.g. only ask for a grammar when `stt.grammars` is true).
 */
import type { SampleRateHz } from '../core/audio/audio-frame.ts';

/** Capabilities of a speech-to-text adapter. */
export interface SttCapabilities {
  /** Results arrive while audio is still flowing (not only after the stream ends). */
  readonly streaming: boolean;
  /** `partial` events are emitted before a `final`. */
  readonly interimResults: boolean;
  /** The adapter finds utterance ends itself and emits a `final` per utterance. */
  readonly endpointing: boolean;
  /** Accepts `bias: { kind: 'grammar' }` (JSGF). */
  readonly grammars: boolean;
  /** Accepts `bias: { kind: 'keywords' }`. */
  readonly keywords: boolean;
  /** Rates the engine decodes natively; other rates are resampled by the adapter. */
  readonly nativeSampleRatesHz: readonly SampleRateHz[];
  /** BCP 47 languages the loaded model recognises. */
  readonly languages: readonly string[];
  /** Runs on this machine with no network. */
  readonly offline: boolean;
}

/** A voice a TTS adapter offers (`GET /v1/voices`). */
export interface VoiceInfo {
  /** The voice id, unqualified (`rms`); qualified ids are `<provider>:<id>`. */
  readonly id: string;
  readonly name: string;
  readonly language: string;
  readonly gender?: 'female' | 'male' | 'neutral';
  /** A sample of the voice the vendor hosts (ElevenLabs), for `GET /v1/voices`. */
  readonly previewUrl?: string;
}

/** Capabilities of a text-to-speech adapter. */
export interface TtsCapabilities {
  /** Text may arrive in pieces (an LLM's token stream); the adapter chunks it into sentences. */
  readonly streamingInput: boolean;
  /** Audio of one sentence starts before the whole reply is synthesised. */
  readonly streamingOutput: boolean;
  /** The rate of the frames it yields. */
  readonly sampleRateHz: SampleRateHz;
  readonly voices: readonly VoiceInfo[];
  readonly defaultVoice: string;
  readonly offline: boolean;
}

/** Capabilities of a voice-activity detector. */
export interface VadCapabilities {
  /** Which detector runs: the neural model or the fallback. */
  readonly model: 'silero-v5' | 'energy';
  /** `inference` events carry a per-window speech probability. */
  readonly probabilities: boolean;
  /** The analysis window, in milliseconds. */
  readonly windowMs: number;
  /** Rates analysed natively; others are resampled. */
  readonly nativeSampleRatesHz: readonly SampleRateHz[];
}
