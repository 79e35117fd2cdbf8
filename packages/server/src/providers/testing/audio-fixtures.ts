/**
 * Generated audio for provider tests: tones, silence, seeded noise, frame streams, the telephone
 * channel (16 kHz → 8 kHz G.711 μ-law), and word error rate. No recorded files needed.
 */
import alawmulaw from 'alawmulaw';
import type { AudioFrame, SampleRateHz } from '../../core/audio/audio-frame.ts';
import { resampleAll } from '../../core/audio/resampler.ts';

export function tone(hz: number, rateHz: number, ms: number, amplitude = 8000): Int16Array {
  const n = Math.round((rateHz * ms) / 1000);
  return Int16Array.from({ length: n }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rateHz)));
}

export function silence(rateHz: number, ms: number): Int16Array {
  return new Int16Array(Math.round((rateHz * ms) / 1000));
}

/** White noise from a seeded generator (mulberry32), so a failing test replays exactly. */
export function noise(rateHz: number, ms: number, amplitude = 1000, seed = 1): Int16Array {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Int16Array.from({ length: Math.round((rateHz * ms) / 1000) }, () => Math.round((rand() * 2 - 1) * amplitude));
}

export function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Adds `b` onto `a` (same rate), clipping. */
export function mix(a: Int16Array, b: Int16Array): Int16Array {
  return Int16Array.from(a, (v, i) => Math.max(-32768, Math.min(32767, v + (b[i % b.length] as number))));
}

/** Cuts samples into 20 ms frames, as a carrier delivers them. */
export function frames(samples: Int16Array, sampleRateHz: SampleRateHz, opts: { frameMs?: number; startMs?: number } = {}): AudioFrame[] {
  const frameMs = opts.frameMs ?? 20;
  const len = (sampleRateHz * frameMs) / 1000;
  const out: AudioFrame[] = [];
  for (let i = 0; i < samples.length; i += len) {
    const f = new Int16Array(len);
    f.set(samples.subarray(i, i + len));
    out.push({ samples: f, sampleRateHz, startMs: (opts.startMs ?? 0) + (i * 1000) / sampleRateHz });
  }
  return out;
}

/** The frames as an async stream; with `holdOpen`, the stream never ends (a silent open line). */
export async function* stream(fs: readonly AudioFrame[], opts: { holdOpen?: AbortSignal } = {}): AsyncGenerator<AudioFrame> {
  for (const f of fs) yield f;
  const hold = opts.holdOpen;
  if (hold) await new Promise<void>((resolve) => (hold.aborted ? resolve() : hold.addEventListener('abort', () => resolve(), { once: true })));
}

/** The phone line: 16 kHz speech → 8 kHz → G.711 μ-law → back to PCM16 at 8 kHz. */
export async function telephone(samples: Int16Array, fromHz: SampleRateHz = 16000): Promise<Int16Array> {
  const narrow = await resampleAll(samples, fromHz, 8000);
  return alawmulaw.mulaw.decode(alawmulaw.mulaw.encode(narrow));
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** Lower case, no punctuation, digits spoken one by one ("415" → "four one five"), "oh" read as zero. */
export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\d/g, (d) => ` ${DIGITS[Number(d)]} `)
    .replace(/[^a-z' ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (w === 'oh' ? 'zero' : w));
}

/** Word-level edit distance between reference and hypothesis. */
export function wordErrors(reference: string, hypothesis: string): { errors: number; words: number } {
  const r = normaliseWords(reference);
  const h = normaliseWords(hypothesis);
  let prev = Array.from({ length: h.length + 1 }, (_, j) => j);
  for (let i = 1; i <= r.length; i++) {
    const cur = [i];
    for (let j = 1; j <= h.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (r[i - 1] === h[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return { errors: prev[h.length] as number, words: r.length };
}

/** Word error rate over pairs of (reference, hypothesis): total edits / total reference words. */
export function wordErrorRate(pairs: ReadonlyArray<readonly [string, string]>): number {
  let e = 0;
  let n = 0;
  for (const [ref, hyp] of pairs) {
    const w = wordErrors(ref, hyp);
    e += w.errors;
    n += w.words;
  }
  return n === 0 ? 0 : e / n;
}
