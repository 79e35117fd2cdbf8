/**
 * Scripted VAD, STT and TTS for component tests of the voice loop with a `FakeLine`: they read
 * and write the line's marked samples (utterance `i` is `SPEECH_BASE + i`; agent sentence `k` is
 * `k + 1`), so a test states "the caller says utterance 0 for 800 ms at 1 s" and knows exactly
 * what the recogniser returns and which sentence a sent frame belonged to. The real adapters run
 * their own conformance suites and the end-to-end tests; these exist so turn-taking is tested in
 * milliseconds without a model.
 */
import type { AudioFrame } from '@callingbox/server/core/audio/audio-frame.ts';
import type { SttCapabilities, TtsCapabilities, VadCapabilities } from '@callingbox/server/providers/capabilities.ts';
import type { RecognitionBias, SttEvent, SttOptions, SttProvider } from '@callingbox/server/providers/stt.ts';
import type { TtsFrame, TtsOptions, TtsProvider } from '@callingbox/server/providers/tts.ts';
import type { VadEvent, VadOptions, VadProvider } from '@callingbox/server/providers/vad.ts';
import { sentences } from '@callingbox/server/providers/sentence-chunker.ts';
import { SPEECH_BASE } from './fake-line.ts';

const frameMs = (f: AudioFrame): number => (f.samples.length * 1000) / f.sampleRateHz;
const utteranceOf = (f: AudioFrame): number => ((f.samples[0] ?? 0) >= SPEECH_BASE ? (f.samples[0] as number) - SPEECH_BASE : -1);

export class ScriptedVad implements VadProvider {
  readonly id = 'scripted';
  readonly capabilities: VadCapabilities = { model: 'energy', probabilities: false, windowMs: 20, nativeSampleRatesHz: [8000] };

  async *detect(audio: AsyncIterable<AudioFrame>, opts: VadOptions & { signal: AbortSignal }): AsyncGenerator<VadEvent> {
    const minSpeech = opts.minSpeechMs ?? 100;
    const minSilence = opts.minSilenceMs ?? 300;
    let runStart: number | undefined;
    let speaking = false;
    let lastSpeechEnd = 0;
    let silenceSince: number | undefined;
    let speechStartMs = 0;
    for await (const f of audio) {
      if (opts.signal.aborted) return;
      const end = f.startMs + frameMs(f);
      if (utteranceOf(f) >= 0) {
        runStart ??= f.startMs;
        silenceSince = undefined;
        lastSpeechEnd = end;
        if (!speaking && end - runStart >= minSpeech) {
          speaking = true;
          speechStartMs = runStart;
          yield { type: 'speech_start', atMs: end, speechStartMs };
        }
      } else {
        if (!speaking) runStart = undefined;
        silenceSince ??= f.startMs;
        if (speaking && end - silenceSince >= minSilence) {
          speaking = false;
          runStart = undefined;
          yield { type: 'speech_end', atMs: end, speechStartMs, speechEndMs: lastSpeechEnd };
        }
      }
    }
  }
}

/** Utterance `i` is recognised as `texts[i]`, a word appearing every `wordMs` of its audio. */
export class ScriptedStt implements SttProvider {
  readonly id = 'scripted';
  readonly capabilities: SttCapabilities = { streaming: true, interimResults: true, endpointing: false, grammars: true, keywords: true, nativeSampleRatesHz: [8000], languages: ['en-US'], offline: true };
  /** The bias of every `transcribe()` call, in order. */
  readonly biases: RecognitionBias[] = [];
  /** Makes the next `transcribe()` fail with this error once audio arrives. */
  failWith: Error | undefined;

  constructor(private readonly texts: readonly string[], private readonly wordMs = 150) {}

  async *transcribe(audio: AsyncIterable<AudioFrame>, opts: SttOptions & { signal: AbortSignal }): AsyncGenerator<SttEvent> {
    this.biases.push(opts.bias ?? { kind: 'general' });
    const heardMs = new Map<number, number>();
    let shown = '';
    let start: number | undefined;
    let end = 0;
    const text = (): string =>
      [...heardMs.entries()]
        .map(([u, ms]) => (this.texts[u] ?? '').split(' ').slice(0, Math.floor(ms / this.wordMs)).join(' '))
        .filter(Boolean)
        .join(' ');
    for await (const f of audio) {
      if (opts.signal.aborted) return;
      const u = utteranceOf(f);
      if (u < 0) continue;
      if (this.failWith) throw this.failWith;
      start ??= f.startMs;
      end = f.startMs + frameMs(f);
      heardMs.set(u, (heardMs.get(u) ?? 0) + frameMs(f));
      const now = text();
      if (now !== shown) {
        shown = now;
        yield { type: 'partial', utteranceId: 0, text: now, atMs: end };
      }
    }
    if (opts.signal.aborted) return;
    const full = [...heardMs.keys()].map((u) => this.texts[u] ?? '').join(' ');
    yield { type: 'final', utteranceId: 0, text: full, confidence: 0.9, startMs: start ?? 0, endMs: end, timings: { audioMs: end - (start ?? 0), processingMs: 0, finalLatencyMs: 0 } };
  }
}

/** Each sentence becomes `wordMs` of audio per word, every sample `sentence index + 1`. */
export class ScriptedTts implements TtsProvider {
  readonly id = 'scripted';
  readonly capabilities: TtsCapabilities = { streamingInput: true, streamingOutput: true, sampleRateHz: 8000, voices: [{ id: 'test', name: 'Test', language: 'en-US' }], defaultVoice: 'test', offline: true };
  /** Sentences asked for, in order. */
  readonly spoken: string[] = [];

  constructor(private readonly wordMs = 200) {}

  async *synthesize(text: AsyncIterable<string> | string, opts: TtsOptions & { signal: AbortSignal }): AsyncGenerator<TtsFrame> {
    let index = 0;
    const source = typeof text === 'string' ? [text] : text;
    for await (const sentence of sentences(source)) {
      if (opts.signal.aborted) return;
      this.spoken.push(sentence);
      const words = sentence.split(/\s+/).filter(Boolean).length;
      const frames = Math.max(1, Math.round((words * this.wordMs) / 20));
      for (let i = 0; i < frames; i++) {
        if (opts.signal.aborted) return;
        yield { samples: new Int16Array(160).fill(index + 1), sampleRateHz: 8000, startMs: i * 20, sentenceIndex: index, sentence };
      }
      index += 1;
    }
  }
}
