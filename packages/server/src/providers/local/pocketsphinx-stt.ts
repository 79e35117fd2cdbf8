/**
 * Offline speech recognition: CMU pocketsphinx with Debian's US English model, in-process and
 * streaming (see `pocketsphinx/library.ts` for the binding). Telephone audio is resampled to
 * 16 kHz first: the model cannot decode 8 kHz natively (notes F8).
 *
 * Utterances end two ways: pocketsphinx's own voice detector hears `postSpeechFrames` of silence
 * (a `final`, then the next utterance starts), or the audio stream ends (a `final` for what was
 * heard so far) — so the voice loop can also feed one turn per `transcribe()` and end it at its
 * own endpoint.
 */
import type { AudioFrame } from '../../core/audio/audio-frame.ts';
import { createResampler, type Resampler, concatInt16 } from '../../core/audio/resampler.ts';
import { systemClock, type Clock } from '../../core/clock.ts';
import { untilAborted } from '../abortable.ts';
import type { SttCapabilities } from '../capabilities.ts';
import { ProviderError } from '../provider-error.ts';
import type { SttEvent, SttOptions, SttProvider } from '../stt.ts';
import { PocketsphinxDecoder, type DecoderConfig } from './pocketsphinx/decoder.ts';
import { loadPocketsphinx, type PocketsphinxInstall } from './pocketsphinx/library.ts';

/** Audio handed to the decoder per call: 60 ms keeps partials and endpoints prompt at ~17 thread hops a second. */
const CHUNK_MS = 60;
/** Idle decoders kept loaded (≈96 MB each); more are created on demand and freed after use. */
const DEFAULT_POOL_SIZE = 2;
/** A long silence inside one utterance is restarted so the decoder's buffers stay bounded. */
const MAX_SILENT_UTTERANCE_MS = 30_000;

export interface PocketsphinxSttOptions extends DecoderConfig {
  /** Model directory (default Debian's `/usr/share/pocketsphinx/model/en-us`). */
  readonly modelDir?: string;
  readonly poolSize?: number;
  /**
   * Decode a fresh decoder's first utterance twice: live CMN updates only at utterance ends, so
   * the first one is normalised with initial means that do not fit the line; the second pass
   * uses means from the caller's own audio. Costs one extra decode per decoder lifetime
   * (decoders are pooled). Default true.
   */
  readonly redecodeFirstUtterance?: boolean;
  /** Source of wall time for `timings` (STYLE rule 6). */
  readonly clock?: Clock;
}

export class PocketsphinxStt implements SttProvider {
  readonly id = 'local';
  readonly capabilities: SttCapabilities = {
    streaming: true,
    interimResults: true,
    endpointing: true,
    grammars: true,
    keywords: true,
    nativeSampleRatesHz: [16000],
    languages: ['en-US'],
    offline: true,
  };
  private readonly install: PocketsphinxInstall;
  private readonly idleDecoders: PocketsphinxDecoder[] = [];
  private readonly busy = new Set<Promise<void>>();
  private readonly clock: Clock;
  private closed = false;

  /** Throws `ComponentMissingError` (with the `apt-get` command) when pocketsphinx or its model is missing. */
  constructor(private readonly opts: PocketsphinxSttOptions = {}) {
    this.install = loadPocketsphinx(opts.modelDir);
    this.clock = opts.clock ?? systemClock;
  }

  /** Loads a decoder ahead of the first call (0.3–1 s), so the first caller does not wait for it. */
  async warmUp(): Promise<void> {
    if (this.idleDecoders.length > 0) return;
    this.idleDecoders.push(await PocketsphinxDecoder.create(this.install, this.opts));
  }

  async *transcribe(audio: AsyncIterable<AudioFrame>, opts: SttOptions & { signal: AbortSignal }): AsyncGenerator<SttEvent> {
    if (this.closed) throw new ProviderError('The pocketsphinx recogniser was closed.', 'provider_unavailable', this.id);
    if (opts.language && !/^en(-|$)/i.test(opts.language)) {
      throw new ProviderError(`pocketsphinx has only a US English model here; language '${opts.language}' is not available.`, 'provider_unavailable', this.id);
    }
    const { signal } = opts;
    const interim = opts.interimResults ?? true;
    const decoder = this.idleDecoders.pop() ?? (await PocketsphinxDecoder.create(this.install, this.opts));
    let done: () => void = () => undefined;
    const settled = new Promise<void>((r) => (done = r));
    this.busy.add(settled);
    let inFlight: Promise<unknown> = Promise.resolve();
    let resampler: Resampler | undefined;
    try {
      decoder.useBias(opts.bias);
      decoder.startUtterance();
      let utteranceId = 0;
      let inSpeech = false;
      let lastPartial = '';
      let utteranceStartMs = 0;
      let uttAudioMs = 0;
      let processingMs = 0;
      let mediaMs: number | undefined;
      let pending: Int16Array[] = [];
      let pendingLen = 0;
      const chunkLen = (16000 * CHUNK_MS) / 1000;
      const redecode = this.opts.redecodeFirstUtterance ?? true;
      let uttChunks: Int16Array[] = []; // kept only until the decoder's CMN has adapted

      const final = async function* (this: void, endMs: number, lastAudioAt: number): AsyncGenerator<SttEvent> {
        const t0 = performance.now();
        const firstPass = !decoder.cmnAdapted && inSpeech && redecode && uttChunks.length > 0;
        const chunks = uttChunks;
        const p = (async () => {
          let t = await decoder.endUtterance();
          if (firstPass) {
            // Second pass with the cepstral means this utterance just gave the decoder.
            decoder.startUtterance();
            for (const c of chunks) await decoder.process(c);
            t = await decoder.endUtterance();
          }
          return t;
        })();
        inFlight = p;
        const text = await p;
        processingMs += performance.now() - t0;
        uttChunks = [];
        if (inSpeech) decoder.cmnAdapted = true;
        if (inSpeech || text) {
          yield { type: 'final', utteranceId, text, startMs: utteranceStartMs, endMs, timings: { audioMs: uttAudioMs, processingMs, finalLatencyMs: Math.max(0, nowMs() - lastAudioAt) } };
        }
        inSpeech = false;
        lastPartial = '';
        uttAudioMs = 0;
        processingMs = 0;
      };
      const nowMs = (): number => this.clock.now();

      const feed = async function* (this: void, chunk: Int16Array, chunkStartMs: number): AsyncGenerator<SttEvent> {
        const arrivedAt = nowMs();
        if (!decoder.cmnAdapted && redecode) uttChunks.push(chunk);
        const t0 = performance.now();
        const p = decoder.process(chunk);
        inFlight = p;
        const speaking = await p;
        processingMs += performance.now() - t0;
        const chunkMs = (chunk.length * 1000) / 16000;
        uttAudioMs += chunkMs;
        const chunkEndMs = chunkStartMs + chunkMs;
        if (speaking && !inSpeech) {
          inSpeech = true;
          utteranceId++;
          utteranceStartMs = chunkStartMs;
          yield { type: 'speech_start', utteranceId, atMs: chunkStartMs };
        } else if (!speaking && inSpeech) {
          yield* final(chunkEndMs, arrivedAt);
          decoder.startUtterance();
          return;
        }
        if (inSpeech && interim) {
          const partial = decoder.hypothesis();
          if (partial && partial !== lastPartial) {
            lastPartial = partial;
            yield { type: 'partial', utteranceId, text: partial, atMs: chunkEndMs };
          }
        } else if (!inSpeech && uttAudioMs > MAX_SILENT_UTTERANCE_MS) {
          await decoder.endUtterance();
          decoder.startUtterance();
          uttAudioMs = 0;
          processingMs = 0;
          uttChunks = [];
        }
      };

      for await (const frame of untilAborted(audio, signal)) {
        if (!resampler || resampler.fromHz !== frame.sampleRateHz) {
          resampler?.close();
          resampler = await createResampler(frame.sampleRateHz, 16000);
        }
        mediaMs ??= frame.startMs;
        const x = resampler.process(frame.samples);
        pending.push(x);
        pendingLen += x.length;
        if (pendingLen < chunkLen) continue;
        const chunk = concatInt16(pending);
        pending = [];
        pendingLen = 0;
        const startMs = mediaMs;
        mediaMs += (chunk.length * 1000) / 16000;
        for await (const e of feed(chunk, startMs)) {
          if (signal.aborted) return;
          yield e;
        }
        if (signal.aborted) return;
      }
      if (signal.aborted) return;
      // The audio ended: decode what is left and close the utterance in progress.
      const tail = concatInt16([...pending, resampler?.flush() ?? new Int16Array(0)]);
      const startMs = mediaMs ?? 0;
      const endMs = startMs + (tail.length * 1000) / 16000;
      if (tail.length) {
        for await (const e of feed(tail, startMs)) {
          if (signal.aborted) return;
          yield e;
        }
      }
      if (decoder.utteranceOpen) {
        if (!inSpeech && decoder.hypothesis() === '') await decoder.endUtterance();
        else {
          if (!inSpeech) utteranceId++;
          inSpeech = true;
          for await (const e of final(endMs, nowMs())) {
            if (signal.aborted) return;
            yield e;
          }
        }
      }
    } finally {
      resampler?.close();
      // A call on the thread pool cannot be interrupted: the decoder goes back to the pool once
      // it has finished (abort stays quiet; `idle()` waits for it).
      void inFlight
        .catch(() => undefined)
        .then(async () => {
          if (decoder.utteranceOpen) await decoder.endUtterance().catch(() => undefined);
          this.release(decoder);
        })
        .finally(() => {
          this.busy.delete(settled);
          done();
        });
    }
  }

  /** Resolves when no decoder is in use (tests: nothing outlives a cancelled call). */
  async idle(): Promise<void> {
    while (this.busy.size > 0) await Promise.all([...this.busy]);
  }

  /** Frees every decoder once the streams in progress have stopped. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
    for (const d of this.idleDecoders.splice(0)) d.free();
  }

  /** Decoders loaded and waiting. */
  get idleDecoderCount(): number {
    return this.idleDecoders.length;
  }

  private release(decoder: PocketsphinxDecoder): void {
    if (this.closed || this.idleDecoders.length >= (this.opts.poolSize ?? DEFAULT_POOL_SIZE)) decoder.free();
    else this.idleDecoders.push(decoder);
  }
}
