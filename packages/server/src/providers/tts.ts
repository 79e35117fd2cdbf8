/**
 * The text-to-speech port. Text arrives whole or as a stream of pieces (an LLM's tokens); audio
 * leaves as frames, sentence by sentence, so the first audio does not wait for the whole reply.
 */
import type { AudioFrame, SampleRateHz } from '../core/audio/audio-frame.ts';
import type { TtsCapabilities } from './capabilities.ts';

export interface TtsOptions {
  /** An unqualified voice id of this adapter (`rms`); default `capabilities.defaultVoice`. */
  readonly voice?: string;
  /** Resample the output to this rate (default the adapter's native rate). */
  readonly sampleRateHz?: SampleRateHz;
}

/**
 * A frame of synthesised speech. `startMs` counts from the start of this synthesis; `sentence`
 * is the text the frame belongs to, so that a barge-in can record only what was really played.
 */
export interface TtsFrame extends AudioFrame {
  readonly sentenceIndex: number;
  readonly sentence: string;
}

/** A speech synthesiser. Aborting the signal ends the stream quietly, mid-sentence. */
export interface TtsProvider {
  readonly id: string;
  readonly capabilities: TtsCapabilities;
  synthesize(text: AsyncIterable<string> | string, opts: TtsOptions & { readonly signal: AbortSignal }): AsyncIterable<TtsFrame>;
}
