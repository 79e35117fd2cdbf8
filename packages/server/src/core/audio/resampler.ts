/**
 * Sample-rate conversion between the voice loop's rates (8/16/24/48 kHz) through libsamplerate
 * (Erik de Castro Lopo's band-limited sinc converter, compiled to WebAssembly by
 * `@alexanderolsen/libsamplerate-js`). Audio is resampled once at the edge; a `Resampler` is
 * stateful (it keeps the filter's history between chunks), so one stream gets one instance.
 *
 * Pure computation, no I/O: it belongs in `core/audio` beside the G.711 and WAV codecs.
 */
import libsamplerate from '@alexanderolsen/libsamplerate-js';
import type { AudioFrame, SampleRateHz } from './audio-frame.ts';

/**
 * Converter quality. `fast` is libsamplerate's SRC_SINC_FASTEST (band-limited sinc, measured
 * stop-band better than −90 dB here, ~3 ms of CPU per second of 8→16 kHz audio); `medium` and `best`
 * cost 3× and 10× more for differences no telephone caller hears.
 */
export type ResamplerQuality = 'fast' | 'medium' | 'best';

const CONVERTER: Record<ResamplerQuality, 0 | 1 | 2> = {
  best: libsamplerate.ConverterType.SRC_SINC_BEST_QUALITY as 0,
  medium: libsamplerate.ConverterType.SRC_SINC_MEDIUM_QUALITY as 1,
  fast: libsamplerate.ConverterType.SRC_SINC_FASTEST as 2,
};

type Src = Awaited<ReturnType<typeof libsamplerate.create>>;

/**
 * Closed converters kept for reuse, per rate pair and quality. Instantiating the module costs
 * ≈ 50 ms (measured here; it is wasm2js with a 26 MB heap), which would otherwise land on every
 * call setup and every TTS reply. A cache of pure-computation objects, not shared state: a
 * converter is reset before it is handed out again.
 */
const IDLE = new Map<string, Src[]>();
/** Enough for the converters of a few dozen concurrent streams to be recycled without growing. */
const MAX_IDLE_PER_KIND = 32;

/** A streaming converter from one rate to another. */
export interface Resampler {
  readonly fromHz: SampleRateHz;
  readonly toHz: SampleRateHz;
  /** Converts the next chunk; the output lags by the filter's delay (a few ms) until `flush()`. */
  process(samples: Int16Array): Int16Array;
  /** Returns the samples still held in the filter, so the output length matches the input's duration. */
  flush(): Int16Array;
  /** Frees the converter; idempotent. */
  close(): void;
}

/** Creates a streaming resampler. Equal rates give a pass-through that copies nothing. */
export async function createResampler(fromHz: SampleRateHz, toHz: SampleRateHz, opts: { quality?: ResamplerQuality } = {}): Promise<Resampler> {
  if (fromHz === toHz) return passThrough(fromHz);
  const quality = opts.quality ?? 'fast';
  const key = `${fromHz}/${toHz}/${quality}`;
  const src = IDLE.get(key)?.pop() ?? (await libsamplerate.create(1, fromHz, toHz, { converterType: CONVERTER[quality] }));
  let inSamples = 0;
  let outSamples = 0;
  let closed = false;
  const ratio = toHz / fromHz;
  return {
    fromHz,
    toHz,
    process(samples) {
      if (closed) throw new Error('resampler is closed');
      if (samples.length === 0) return new Int16Array(0);
      inSamples += samples.length;
      const out = toInt16(src.full(toFloat32(samples)));
      outSamples += out.length;
      return out;
    },
    flush() {
      if (closed) return new Int16Array(0);
      // The JS binding does not expose libsamplerate's end-of-input flag: push silence through
      // the filter until the output has caught up with the input's duration, then trim.
      const want = Math.round(inSamples * ratio) - outSamples;
      if (want <= 0) return new Int16Array(0);
      const parts: Int16Array[] = [];
      let got = 0;
      for (let i = 0; i < 8 && got < want; i++) {
        const out = toInt16(src.full(new Float32Array(Math.ceil(fromHz / 100))));
        parts.push(out);
        got += out.length;
      }
      const tail = concatInt16(parts).subarray(0, want);
      outSamples += tail.length;
      return tail;
    },
    close() {
      if (closed) return;
      closed = true;
      const idle = IDLE.get(key) ?? [];
      if (idle.length >= MAX_IDLE_PER_KIND) return src.destroy();
      // Re-assigning the converter type runs src_delete + src_new: a clean filter state without
      // instantiating the module again.
      src.converterType = CONVERTER[quality];
      idle.push(src);
      IDLE.set(key, idle);
    },
  };
}

function passThrough(rate: SampleRateHz): Resampler {
  return { fromHz: rate, toHz: rate, process: (s) => s, flush: () => new Int16Array(0), close: () => undefined };
}

/** Converts a whole buffer at once (fixtures, cached prompts). */
export async function resampleAll(samples: Int16Array, fromHz: SampleRateHz, toHz: SampleRateHz, opts: { quality?: ResamplerQuality } = {}): Promise<Int16Array> {
  const r = await createResampler(fromHz, toHz, opts);
  try {
    return concatInt16([r.process(samples), r.flush()]);
  } finally {
    r.close();
  }
}

/**
 * Resamples a frame stream to `toHz`, keeping each output frame's `startMs` on the input's
 * timeline. The converter is created from the first frame's rate and freed when the stream ends
 * or the consumer stops early.
 */
export async function* resampleFrames(frames: AsyncIterable<AudioFrame>, toHz: SampleRateHz, opts: { quality?: ResamplerQuality } = {}): AsyncGenerator<AudioFrame> {
  let r: Resampler | undefined;
  let nextStartMs: number | undefined;
  try {
    for await (const f of frames) {
      if (r && r.fromHz !== f.sampleRateHz) {
        throw new RangeError(`frame rate changed mid-stream from ${r.fromHz} to ${f.sampleRateHz} Hz`);
      }
      r ??= await createResampler(f.sampleRateHz, toHz, opts);
      nextStartMs ??= f.startMs;
      const out = r.process(f.samples);
      if (out.length === 0) continue;
      yield { samples: out, sampleRateHz: toHz, startMs: nextStartMs };
      nextStartMs += (out.length * 1000) / toHz;
    }
    if (r) {
      const tail = r.flush();
      if (tail.length > 0) yield { samples: tail, sampleRateHz: toHz, startMs: nextStartMs ?? 0 };
    }
  } finally {
    r?.close();
  }
}

/** PCM16 → float in [−1, 1). */
export function toFloat32(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = (samples[i] as number) / 32768;
  return out;
}

/** Float in [−1, 1] → PCM16, rounded and clipped. */
export function toInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round((samples[i] as number) * 32768);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

/** Joins PCM16 chunks. */
export function concatInt16(parts: readonly Int16Array[]): Int16Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Int16Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
