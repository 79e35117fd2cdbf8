/**
 * A sentence cache in front of any TTS adapter (`calls.md` → First message: "synthesise ahead,
 * cache per agent version and voice"). Greetings, silence prompts and the intake dialogue's
 * questions repeat call after call; their audio is kept per (adapter, voice, rate, sentence) and
 * replayed at once, so the first audio of a call does not wait for synthesis. `warm()` synthesises
 * ahead (the composition root calls it when a call starts ringing).
 */
import type { AudioFrame } from '../core/audio/audio-frame.ts';
import { sentences } from './sentence-chunker.ts';
import type { TtsFrame, TtsOptions, TtsProvider } from './tts.ts';

/** Samples kept in all (≈ 32 MB of Int16 at the default): about 15 minutes of 16 kHz speech. */
const DEFAULT_MAX_SAMPLES = 16_000 * 60 * 15;
/** Longer sentences are one-off answers, not worth keeping. */
const MAX_CACHED_SENTENCE_CHARS = 240;

export class CachingTts implements TtsProvider {
  readonly id: string;
  readonly capabilities: TtsProvider['capabilities'];
  private readonly entries = new Map<string, readonly AudioFrame[]>();
  /** Sentences being synthesised ahead: a call that needs one waits for it instead of synthesising it twice. */
  private readonly warming = new Map<string, Promise<void>>();
  private samples = 0;

  constructor(
    private readonly inner: TtsProvider,
    private readonly maxSamples = DEFAULT_MAX_SAMPLES,
  ) {
    this.id = inner.id;
    this.capabilities = inner.capabilities;
  }

  /** Synthesises `text` now so a later `synthesize()` of the same sentences is instant. */
  async warm(text: string, opts: TtsOptions & { signal: AbortSignal }): Promise<void> {
    for await (const sentence of sentences([text])) {
      const key = this.key(sentence, opts);
      if (this.entries.has(key) || this.warming.has(key)) continue;
      const done = (async () => {
        for await (const f of this.fresh(sentence, 0, key, opts)) void f;
      })();
      this.warming.set(key, done.catch(() => undefined));
      try {
        await done;
      } finally {
        this.warming.delete(key);
      }
    }
  }

  private key(sentence: string, opts: TtsOptions): string {
    return `${opts.voice ?? this.capabilities.defaultVoice}|${opts.sampleRateHz ?? ''}|${sentence}`;
  }

  async *synthesize(text: AsyncIterable<string> | string, opts: TtsOptions & { signal: AbortSignal }): AsyncGenerator<TtsFrame> {
    let index = 0;
    for await (const sentence of sentences(typeof text === 'string' ? [text] : text)) {
      if (opts.signal.aborted) return;
      const key = this.key(sentence, opts);
      const warming = this.warming.get(key);
      if (warming) await warming;
      const hit = this.entries.get(key);
      if (hit) {
        // Most recently used last: re-insert.
        this.entries.delete(key);
        this.entries.set(key, hit);
        for (const f of hit) yield { ...f, sentenceIndex: index, sentence };
      } else yield* this.fresh(sentence, index, key, opts);
      index += 1;
    }
  }

  /** Synthesises one sentence through the adapter and keeps its audio when it completed. */
  private async *fresh(sentence: string, index: number, key: string, opts: TtsOptions & { signal: AbortSignal }): AsyncGenerator<TtsFrame> {
    const kept: AudioFrame[] = [];
    let complete = false;
    try {
      for await (const f of this.inner.synthesize(sentence, opts)) {
        kept.push({ samples: f.samples, sampleRateHz: f.sampleRateHz, startMs: f.startMs });
        yield { ...f, sentenceIndex: index, sentence };
      }
      complete = !opts.signal.aborted;
    } finally {
      if (complete && sentence.length <= MAX_CACHED_SENTENCE_CHARS) this.keep(key, kept);
    }
  }

  private keep(key: string, frames: readonly AudioFrame[]): void {
    const n = frames.reduce((s, f) => s + f.samples.length, 0);
    if (n === 0 || n > this.maxSamples) return;
    this.entries.set(key, frames);
    this.samples += n;
    for (const [k, v] of this.entries) {
      if (this.samples <= this.maxSamples) break;
      this.entries.delete(k);
      this.samples -= v.reduce((s, f) => s + f.samples.length, 0);
    }
  }
}
