/**
 * Conformance suites every adapter of a provider port runs (STYLE rule 10): the behaviour the
 * voice loop relies on whatever the vendor — quiet abort on an open line, a clean end when the
 * audio ends, frames of the promised shape. Each adapter's test file calls the suite with a
 * factory; cloud adapters will run the same suites against their fake servers.
 */
import { describe, expect, it } from 'vitest';
import type { SttProvider } from '../stt.ts';
import type { TtsProvider } from '../tts.ts';
import type { VadProvider } from '../vad.ts';
import { collect, frames, silence, stream, tone } from './audio-fixtures.ts';

/** Runs `consume` until the signal aborts after `afterMs`; returns what it saw and how long the abort took. */
async function abortOnOpenLine<T>(events: (signal: AbortSignal, hold: AbortSignal) => AsyncIterable<T>, afterMs = 30): Promise<{ seen: T[]; stopMs: number }> {
  const ac = new AbortController();
  const hold = new AbortController();
  const seen: T[] = [];
  const run = (async () => {
    for await (const e of events(ac.signal, hold.signal)) seen.push(e);
  })();
  await new Promise((r) => setTimeout(r, afterMs));
  const t0 = performance.now();
  ac.abort();
  await run;
  const stopMs = performance.now() - t0;
  hold.abort();
  return { seen, stopMs };
}

export function vadConformance(name: string, make: () => VadProvider): void {
  describe(`VAD conformance: ${name}`, () => {
    it('reports nothing but inferences on silence, at 8 and 16 kHz, and ends with its input', async () => {
      const vad = make();
      for (const rate of [8000, 16000] as const) {
        const ev = await collect(vad.detect(stream(frames(silence(rate, 600), rate)), { signal: new AbortController().signal }));
        expect(ev.filter((e) => e.type !== 'inference')).toEqual([]);
      }
    });

    it('ends quietly within 100 ms when aborted on an open line', async () => {
      const vad = make();
      const { seen, stopMs } = await abortOnOpenLine((signal, hold) => vad.detect(stream(frames(silence(8000, 100), 8000), { holdOpen: hold }), { signal }));
      expect(stopMs).toBeLessThan(100);
      expect(seen.filter((e) => e.type !== 'inference')).toEqual([]);
    });
  });
}

export function sttConformance(name: string, make: () => SttProvider & { idle?: () => Promise<void> }): void {
  describe(`STT conformance: ${name}`, () => {
    it('ends when the audio ends, with no final for silence or a steady tone', async () => {
      const stt = make();
      const ev = await collect(stt.transcribe(stream(frames(silence(8000, 400), 8000)), { signal: new AbortController().signal }));
      expect(ev.filter((e) => e.type === 'final' && e.text !== '')).toEqual([]);
      await stt.idle?.();
    });

    it('ends quietly within 100 ms when aborted on an open line, and yields nothing after', async () => {
      const stt = make();
      const { seen, stopMs } = await abortOnOpenLine((signal, hold) => stt.transcribe(stream(frames(tone(300, 8000, 200, 500), 8000), { holdOpen: hold }), { signal }));
      expect(stopMs).toBeLessThan(100);
      expect(seen.filter((e) => e.type === 'final')).toEqual([]);
      await stt.idle?.();
    });

    it('yields nothing when the signal is already aborted', async () => {
      const stt = make();
      expect(await collect(stt.transcribe(stream(frames(silence(8000, 100), 8000)), { signal: AbortSignal.abort() }))).toEqual([]);
      await stt.idle?.();
    });
  });
}

export function ttsConformance(name: string, make: () => TtsProvider): void {
  describe(`TTS conformance: ${name}`, () => {
    it('yields 20 ms frames at the requested rate with contiguous start times', async () => {
      const tts = make();
      for (const rate of [8000, 16000] as const) {
        const out = await collect(tts.synthesize('Okay.', { signal: new AbortController().signal, sampleRateHz: rate }));
        expect(out.length).toBeGreaterThan(0);
        out.forEach((f, i) => {
          expect(f.sampleRateHz).toBe(rate);
          expect(f.samples.length).toBe(rate / 50);
          expect(f.startMs).toBe(i * 20);
        });
      }
    });

    it('yields nothing for empty text or an aborted signal', async () => {
      const tts = make();
      expect(await collect(tts.synthesize('   ', { signal: new AbortController().signal }))).toEqual([]);
      expect(await collect(tts.synthesize('Hello there.', { signal: AbortSignal.abort() }))).toEqual([]);
    });
  });
}
