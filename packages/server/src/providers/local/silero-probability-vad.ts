/**
 * Silero VAD v5 with per-window speech probabilities, run by `onnxruntime-web` (WebAssembly, in
 * this thread). The same model file as `SileroVad`; choose this one when the caller of `detect()`
 * needs the probability itself (barge-in thresholds, confidence), at about 15× the CPU of the
 * native runtime (measured ≈ 2 ms per 32 ms window here, i.e. ~6 % of a core per call, against
 * 0.14–0.28 ms). `onnxruntime-web` comes with the model's package anyway and has no install
 * script, unlike `onnxruntime-node`.
 *
 * Silero v5 runs natively at 8 kHz (256-sample windows + 32 samples of context) and 16 kHz
 * (512 + 64), so phone audio needs no resampling; other rates are resampled to 16 kHz.
 */
import fs from 'node:fs';
import * as ort from 'onnxruntime-web';
import type { AudioFrame, SampleRateHz } from '../../core/audio/audio-frame.ts';
import { createResampler, toFloat32, type Resampler } from '../../core/audio/resampler.ts';
import { untilAborted } from '../abortable.ts';
import type { VadCapabilities } from '../capabilities.ts';
import { ComponentMissingError } from '../provider-error.ts';
import { VadHysteresis } from '../vad-hysteresis.ts';
import type { VadEvent, VadOptions, VadProvider } from '../vad.ts';
import { locateSilero } from './silero-vad.ts';

/** Window and context sizes of Silero v5 per native rate (the reference `OnnxWrapper`). */
const GEOMETRY: Record<8000 | 16000, { window: number; context: number }> = { 8000: { window: 256, context: 32 }, 16000: { window: 512, context: 64 } };
/** Recurrent state of Silero v5: [2, 1, 128]. */
const STATE_SIZE = 2 * 128;

export class SileroProbabilityVad implements VadProvider {
  readonly id = 'silero-probability';
  readonly capabilities: VadCapabilities = { model: 'silero-v5', probabilities: true, windowMs: 32, nativeSampleRatesHz: [8000, 16000] };
  private session: Promise<ort.InferenceSession> | undefined;
  private readonly modelPath: string;

  /** Throws `ComponentMissingError` when the model file is missing. */
  constructor(opts: { modelPath?: string } = {}) {
    this.modelPath = opts.modelPath ?? locateSilero().modelPath;
    if (!fs.existsSync(this.modelPath)) {
      throw new ComponentMissingError('vad', 'local', `the Silero VAD model file ${this.modelPath} does not exist`, { npm: ['@ricky0123/vad-web@0.0.31'] }, 'the voice loop uses the energy VAD');
    }
  }

  /** Compiles the model once per instance (≈1–5 s of WebAssembly compilation); streams share it. */
  load(): Promise<ort.InferenceSession> {
    ort.env.wasm.numThreads = 1; // one call's VAD must not take every core
    this.session ??= ort.InferenceSession.create(fs.readFileSync(this.modelPath), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    return this.session;
  }

  /** Releases the compiled model; a later `detect()` compiles it again. Idempotent. */
  async close(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (s) await (await s).release();
  }

  async *detect(audio: AsyncIterable<AudioFrame>, opts: VadOptions & { signal: AbortSignal }): AsyncGenerator<VadEvent> {
    const session = await this.load();
    const hysteresis = new VadHysteresis(opts);
    let state = new ort.Tensor('float32', new Float32Array(STATE_SIZE), [2, 1, 128]);
    let rate: 8000 | 16000 | undefined;
    let resampler: Resampler | undefined;
    let x = new Float32Array(0);
    let filled = 0;
    let windowStartMs = 0;
    let endMs = 0;
    try {
      for await (const frame of untilAborted(audio, opts.signal)) {
        if (!rate) {
          rate = frame.sampleRateHz === 8000 ? 8000 : 16000;
          if (frame.sampleRateHz !== rate) resampler = await createResampler(frame.sampleRateHz, rate as SampleRateHz);
          const g = GEOMETRY[rate];
          x = new Float32Array(g.context + g.window);
          filled = g.context; // the first window's context is silence
          windowStartMs = frame.startMs;
        }
        const g = GEOMETRY[rate];
        const samples = toFloat32(resampler ? resampler.process(frame.samples) : frame.samples);
        const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(rate)]), []);
        for (let i = 0; i < samples.length; ) {
          const n = Math.min(x.length - filled, samples.length - i);
          x.set(samples.subarray(i, i + n), filled);
          filled += n;
          i += n;
          if (filled < x.length) continue;
          const out = await session.run({ input: new ort.Tensor('float32', x.slice(), [1, x.length]), state, sr });
          if (opts.signal.aborted) return;
          state = out.stateN as typeof state;
          const probability = (out.output as ort.Tensor).data[0] as number;
          endMs = windowStartMs + (g.window * 1000) / rate;
          yield* hysteresis.push(probability, windowStartMs, endMs);
          windowStartMs = endMs;
          x.copyWithin(0, x.length - g.context); // the window's tail is the next one's context
          filled = g.context;
        }
      }
      if (!opts.signal.aborted) yield* hysteresis.finish(endMs);
    } finally {
      resampler?.close();
    }
  }
}
