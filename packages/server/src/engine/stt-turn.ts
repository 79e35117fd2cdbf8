/**
 * One caller turn's recognition: audio from just before the speech started until the endpoint,
 * fed to a `transcribe()` stream biased to what the dialogue expects; partials are read as they
 * come (the endpointing and barge-in cues), finals are joined into the turn's text.
 */
import type { AudioFrame } from '../core/audio/audio-frame.ts';
import { isAbortError } from '../core/errors.ts';
import { AsyncQueue } from '../telephony/async-queue.ts';
import type { RecognitionBias, SttProvider } from '../providers/stt.ts';

export interface SttTurnResult {
  readonly text: string;
  readonly confidence?: number;
}

export class SttTurn {
  private readonly audio = new AsyncQueue<AudioFrame>();
  private readonly finals: string[] = [];
  private partial = '';
  private confidence: number | undefined;
  private error: unknown;
  private readonly done: Promise<void>;

  constructor(
    stt: SttProvider,
    opts: { bias: RecognitionBias; language?: string; signal: AbortSignal; onText?: (text: string) => void },
  ) {
    this.done = (async () => {
      for await (const e of stt.transcribe(this.audio, { bias: opts.bias, signal: opts.signal, ...(opts.language ? { language: opts.language } : {}) })) {
        if (e.type === 'partial') this.partial = e.text;
        else if (e.type === 'final') {
          if (e.text) this.finals.push(e.text);
          this.partial = '';
          if (e.confidence !== undefined) this.confidence = Math.min(this.confidence ?? 1, e.confidence);
        } else continue;
        opts.onText?.(this.text);
      }
    })().catch((e: unknown) => {
      if (!isAbortError(e) && !opts.signal.aborted) this.error = e;
    });
  }

  /** What was recognised so far: the finals and the current partial. */
  get text(): string {
    return [...this.finals, this.partial].filter(Boolean).join(' ');
  }

  push(frame: AudioFrame): void {
    this.audio.push(frame);
  }

  /** Ends the audio and waits for the last final. Throws the recogniser's error (a `ProviderError`). */
  async end(): Promise<SttTurnResult> {
    this.audio.close();
    await this.done;
    if (this.error) throw this.error;
    return { text: this.finals.join(' ').trim(), ...(this.confidence !== undefined ? { confidence: this.confidence } : {}) };
  }

  /** Drops the turn (a backchannel, or the call ended). */
  cancel(): void {
    this.audio.close();
  }
}
