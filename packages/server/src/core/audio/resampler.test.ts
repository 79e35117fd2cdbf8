import { describe, expect, it } from 'vitest';
import type { SampleRateHz } from './audio-frame.ts';
import { createResampler, resampleAll, resampleFrames } from './resampler.ts';

const RATES: SampleRateHz[] = [8000, 16000, 24000, 48000];
const PAIRS = RATES.flatMap((a) => RATES.filter((b) => b !== a).map((b) => [a, b] as const));

function tone(hz: number, rateHz: number, seconds: number, amplitude = 16000): Int16Array {
  return Int16Array.from({ length: Math.round(rateHz * seconds) }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rateHz)));
}

function rms(x: Int16Array, skip = 0): number {
  let e = 0;
  for (let i = skip; i < x.length - skip; i++) e += (x[i] as number) ** 2;
  return Math.sqrt(e / Math.max(1, x.length - 2 * skip));
}

/** Amplitude of one frequency (Goertzel), skipping the filter's warm-up at both ends. */
function amplitudeAt(x: Int16Array, hz: number, rateHz: number, skip: number): number {
  const n = x.length - 2 * skip;
  const w = (2 * Math.PI * hz) / rateHz;
  let re = 0;
  let im = 0;
  for (let i = 0; i < n; i++) {
    const v = x[skip + i] as number;
    re += v * Math.cos(w * i);
    im -= v * Math.sin(w * i);
  }
  return (2 * Math.hypot(re, im)) / n;
}

const db = (ratio: number): number => 20 * Math.log10(Math.max(ratio, 1e-12));

describe('resampler', () => {
  it.each(PAIRS)('%i → %i Hz keeps a 1 kHz tone, its duration and its level', async (from, to) => {
    const out = await resampleAll(tone(1000, from, 0.5), from, to);
    expect(out.length).toBe(Math.round((0.5 * to)));
    const skip = Math.round(to * 0.02);
    // Passband: within 0.5 dB of the 16000 input amplitude.
    expect(Math.abs(db(amplitudeAt(out, 1000, to, skip) / 16000))).toBeLessThan(0.5);
  });

  // Aliasing bound measured on this build (SRC_SINC_FASTEST): a tone above the target Nyquist
  // comes out below −90 dB (measured −110…−130 dB). A naive decimator (drop or average samples)
  // folds it back at −1…−10 dB.
  it.each([
    [16000, 8000, 6000],
    [24000, 8000, 5000],
    [48000, 8000, 7000],
    [48000, 16000, 11000],
    [48000, 24000, 15000],
    [24000, 16000, 10000],
  ] as const)('%i → %i Hz removes a %i Hz tone above the new Nyquist (no aliasing)', async (from, to, hz) => {
    const out = await resampleAll(tone(hz, from, 0.5), from, to);
    const skip = Math.round(to * 0.02);
    expect(db(rms(out, skip) / (16000 / Math.SQRT2))).toBeLessThan(-90);
  });

  it.each([
    [8000, 16000, 1000, 7000],
    [8000, 48000, 3000, 5000],
    [16000, 48000, 2000, 14000],
  ] as const)('%i → %i Hz leaves no image of %i Hz at %i Hz', async (from, to, hz, image) => {
    const out = await resampleAll(tone(hz, from, 0.5), from, to);
    const skip = Math.round(to * 0.02);
    expect(db(amplitudeAt(out, image, to, skip) / amplitudeAt(out, hz, to, skip))).toBeLessThan(-60);
  });

  it('streams 20 ms frames with the same result as one buffer, and keeps the media timeline', async () => {
    const input = tone(440, 8000, 1);
    async function* frames() {
      for (let i = 0; i < input.length; i += 160) yield { samples: input.subarray(i, i + 160), sampleRateHz: 8000 as const, startMs: 5000 + i / 8 };
    }
    const out: Int16Array[] = [];
    let lastStart = 0;
    let firstStart: number | undefined;
    for await (const f of resampleFrames(frames(), 16000)) {
      expect(f.sampleRateHz).toBe(16000);
      firstStart ??= f.startMs;
      expect(f.startMs).toBeGreaterThanOrEqual(lastStart);
      lastStart = f.startMs;
      out.push(f.samples);
    }
    const joined = Int16Array.from(out.flatMap((o) => Array.from(o)));
    const whole = await resampleAll(input, 8000, 16000);
    expect(firstStart).toBe(5000);
    expect(joined.length).toBe(16000);
    expect(Array.from(joined)).toEqual(Array.from(whole));
  });

  it('recycles a closed converter with a clean filter state (no tail of the previous stream)', async () => {
    const a = await createResampler(8000, 16000);
    a.process(tone(1000, 8000, 0.1, 30000));
    a.close();
    const t0 = performance.now();
    const b = await createResampler(8000, 16000);
    expect(performance.now() - t0).toBeLessThan(20); // no module instantiation (≈ 50 ms)
    const out = b.process(new Int16Array(800));
    expect(Math.max(...Array.from(out, Math.abs))).toBe(0);
    b.close();
  });

  it('passes equal rates through untouched and closes idempotently', async () => {
    const r = await createResampler(16000, 16000);
    const x = tone(300, 16000, 0.02);
    expect(r.process(x)).toBe(x);
    r.close();
    r.close();
    const s = await createResampler(8000, 16000);
    s.close();
    s.close();
    expect(() => s.process(x)).toThrow(/closed/);
  });

  it('refuses a stream whose rate changes mid-way', async () => {
    async function* frames() {
      yield { samples: new Int16Array(160), sampleRateHz: 8000 as const, startMs: 0 };
      yield { samples: new Int16Array(320), sampleRateHz: 16000 as const, startMs: 20 };
    }
    await expect(async () => {
      for await (const _ of resampleFrames(frames(), 16000)) void _;
    }).rejects.toThrow(/rate changed/);
  });
});
