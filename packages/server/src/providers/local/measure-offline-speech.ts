/**
 * Measures the offline speech stack on this machine and prints the tables of README.md:
 * `node --import tsx packages/server/src/providers/local/measure-offline-speech.ts`
 * (≈1–2 minutes on 2 cores). Speech is Flite's `rms` voice through 8 kHz G.711 μ-law, plus the
 * real human recordings of Debian's `pocketsphinx-testdata` when that package is installed.
 */
import fs from 'node:fs';
import type { SampleRateHz } from '../../core/audio/audio-frame.ts';
import { createResampler, resampleAll } from '../../core/audio/resampler.ts';
import { decodeWav } from '../../core/audio/wav.ts';
import type { RecognitionBias, SttEvent } from '../stt.ts';
import { collect, concat, frames, noise, silence, stream, telephone, tone, wordErrorRate } from '../testing/audio-fixtures.ts';
import { EnergyVad } from './energy-vad.ts';
import { FliteTts } from './flite-tts.ts';
import { choiceGrammar, digitsGrammar, yesNoGrammar } from '../grammars.ts';
import { PocketsphinxStt } from './pocketsphinx-stt.ts';
import { SileroVad } from './silero-vad.ts';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
const f1 = (x: number): string => x.toFixed(1);
const f2 = (x: number): string => x.toFixed(2);
const never = new AbortController().signal;

const SETS: Array<{ name: string; bias: RecognitionBias; phrases: string[] }> = [
  { name: 'phone numbers', bias: digitsGrammar(), phrases: ['You can reach me at 415 555 0134.', 'My number is 212 555 0199.', 'It is 6 5 0, 2 5 3, 0 0 0 0.', 'Call me at 7 1 8, 2 0 4, 5 5 6 6.'] },
  { name: 'yes / no', bias: yesNoGrammar(), phrases: ['Yes, that is right.', 'No.', 'Yeah.', "No, that's wrong."] },
  { name: 'enum (service)', bias: choiceGrammar('service', ['a cleaning', 'a checkup', 'whitening', 'a filling']), phrases: ["I'd like a cleaning.", 'A checkup.', 'Whitening.', 'I would like a filling.'] },
  { name: 'free text (general only)', bias: { kind: 'general' }, phrases: ['Hi, my name is Ada Lovelace.', "I'd like to move my cleaning to next week.", 'Can I come in on Tuesday afternoon?', 'My tooth has been hurting since Monday.'] },
];

async function main(): Promise<void> {
  console.log(`# offline speech on ${process.arch}, Node ${process.version}, load average ${(await import('node:os')).loadavg().map(f2).join(' ')}\n`);

  // Resampler
  console.log('## resampler (libsamplerate SINC_FASTEST)\n\n| from → to | CPU per s of audio | tone above Nyquist after |\n|---|---|---|');
  for (const [from, to, hz] of [[8000, 16000, 0], [16000, 8000, 6000], [48000, 8000, 7000], [24000, 16000, 10000], [16000, 48000, 0]] as Array<[SampleRateHz, SampleRateHz, number]>) {
    const r = await createResampler(from, to);
    const x = tone(440, from, 10_000);
    const c0 = process.cpuUsage();
    for (let i = 0; i < x.length; i += from / 50) r.process(x.subarray(i, i + from / 50));
    const c = process.cpuUsage(c0);
    r.close();
    let alias = '—';
    if (hz) {
      const out = await resampleAll(tone(hz, from, 500, 16000), from, to);
      const inner = out.subarray(out.length / 10, out.length - out.length / 10);
      const rms = Math.sqrt(inner.reduce((e, v) => e + v * v, 0) / inner.length);
      // 0 means every output sample rounded to zero: below 16-bit quantisation (< −96 dBFS).
      alias = rms === 0 ? `${hz} Hz: every sample 0 (< −96 dB)` : `${hz} Hz: ${f1(20 * Math.log10(rms / (16000 / Math.SQRT2)))} dB`;
    }
    console.log(`| ${from} → ${to} | ${f2((c.user + c.system) / 1000 / 10)} ms | ${alias} |`);
  }

  // TTS
  const tts = new FliteTts();
  const t0 = performance.now();
  await tts.synthesizeSentence('Hello.');
  const coldMs = performance.now() - t0;
  const timings: Array<{ ms: number; audioMs: number }> = [];
  const speech: Record<string, Int16Array> = {};
  for (const set of SETS) for (const p of set.phrases) {
    const a = await tts.synthesizeSentence(p);
    timings.push({ ms: a.synthMs, audioMs: (a.samples.length / a.sampleRateHz) * 1000 });
    speech[p] = await telephone(a.samples, a.sampleRateHz as SampleRateHz);
  }
  speech.hello = await telephone((await tts.synthesizeSentence('Hello? Can you hear me?')).samples);
  const reply = 'Thanks, Ada. Your cleaning is moved to next Tuesday at three. Is there anything else?';
  const r0 = performance.now();
  let ttfa = 0;
  let replyFrames = 0;
  for await (const _ of tts.synthesize(reply, { signal: never, sampleRateHz: 8000 })) {
    void _;
    if (replyFrames++ === 0) ttfa = performance.now() - r0;
  }
  const replyMs = performance.now() - r0;
  await tts.close();
  console.log(`\n## TTS (Flite wasm, rms)\n\n- cold start (worker + wasm compile + first sentence): ${f1(coldMs)} ms`);
  console.log(`- per sentence: median ${f1(median(timings.map((t) => t.ms)))} ms for ${f1(median(timings.map((t) => t.audioMs)))} ms of audio; RTF median ${f2(median(timings.map((t) => t.ms / t.audioMs)))}, max ${f2(Math.max(...timings.map((t) => t.ms / t.audioMs)))}`);
  console.log(`- 3-sentence reply streamed at 8 kHz: first audio after ${f1(ttfa)} ms, ${replyFrames * 20} ms of audio in ${f1(replyMs)} ms`);

  // VAD
  const line = concat(...Object.values(speech).slice(0, 8).flatMap((s, i) => [noise(8000, 700, 60, i + 1), s]), silence(8000, 500));
  const silero = new SileroVad();
  const v0 = performance.now();
  await collect(silero.detect(stream(frames(silence(8000, 100), 8000)), { signal: never }));
  const vadCreateMs = performance.now() - v0;
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const ev = await collect(silero.detect(stream(frames(line, 8000)), { signal: never }));
  const wallMs = performance.now() - w0;
  const c = process.cpuUsage(c0);
  const windows = (line.length * 2) / 512;
  const e0 = process.cpuUsage();
  await collect(new EnergyVad().detect(stream(frames(line, 8000)), { signal: never }));
  const ec = process.cpuUsage(e0);
  console.log(`\n## VAD\n\n- Silero v5 (sherpa-onnx): first detector ${f1(vadCreateMs)} ms; ${f1(((c.user + c.system) / windows))} µs CPU per 32 ms window incl. 8→16 kHz resampling (${f2(((c.user + c.system) / 1000 / ((line.length / 8000) * 1000)) * 100)} % of one core per call), wall ${f1(wallMs)} ms for ${f1(line.length / 8000)} s; ${ev.filter((e) => e.type === 'speech_start').length} speech starts for 8 utterances`);
  console.log(`- energy: ${f1((ec.user + ec.system) / (line.length / 160))} µs CPU per 20 ms frame`);

  // STT
  const stt = new PocketsphinxStt();
  const l0 = performance.now();
  await stt.warmUp();
  const loadMs = performance.now() - l0;
  const turn = (x: Int16Array): Int16Array => concat(noise(8000, 300, 40, 7), x, noise(8000, 700, 40, 8));
  const decode = async (x: Int16Array, bias?: RecognitionBias): Promise<{ text: string; rtf: number; latency: number }> => {
    const ev: SttEvent[] = await collect(stt.transcribe(stream(frames(turn(x), 8000)), { signal: never, ...(bias ? { bias } : {}) }));
    const finals = ev.filter((e): e is Extract<SttEvent, { type: 'final' }> => e.type === 'final' && e.text !== '');
    const proc = finals.reduce((n, f) => n + f.timings.processingMs, 0);
    const audio = finals.reduce((n, f) => n + f.timings.audioMs, 0);
    return { text: finals.map((f) => f.text).join(' '), rtf: audio ? proc / audio : 0, latency: finals.at(-1)?.timings.finalLatencyMs ?? 0 };
  };
  const cold = await decode(speech['Hi, my name is Ada Lovelace.'] as Int16Array);
  await decode(speech.hello as Int16Array);
  console.log(`\n## STT (pocketsphinx en-us, Flite rms over G.711)\n\n- decoder load ${f1(loadMs)} ms; a fresh decoder's first utterance: "${cold.text}" for "Hi, my name is Ada Lovelace."\n`);
  console.log('| answer kind | phrases | WER general model | WER biased | RTF general | RTF biased |\n|---|---|---|---|---|---|');
  const rows: string[] = [];
  for (const set of SETS) {
    const g: Array<[string, string]> = [];
    const b: Array<[string, string]> = [];
    const rg: number[] = [];
    const rb: number[] = [];
    for (const p of set.phrases) {
      const x = speech[p] as Int16Array;
      const gen = await decode(x);
      g.push([p, gen.text]);
      rg.push(gen.rtf);
      if (set.bias.kind !== 'general') {
        const bi = await decode(x, set.bias);
        b.push([p, bi.text]);
        rb.push(bi.rtf);
      }
      rows.push(`  ${JSON.stringify(p)} → general: ${JSON.stringify(gen.text)}${b.length && b.at(-1)?.[0] === p ? ` · biased: ${JSON.stringify(b.at(-1)?.[1])}` : ''}`);
    }
    console.log(`| ${set.name} | ${set.phrases.length} | ${f1(wordErrorRate(g) * 100)} % | ${b.length ? `${f1(wordErrorRate(b) * 100)} %` : '—'} | ${f2(median(rg))} | ${rb.length ? f2(median(rb)) : '—'} |`);
  }
  console.log(`\n${rows.join('\n')}`);

  // Real human speech (Debian pocketsphinx-testdata), general model, telephone channel.
  const dir = '/usr/share/pocketsphinx/test/data/librivox';
  if (fs.existsSync(`${dir}/transcription`)) {
    const refs = new Map(
      fs.readFileSync(`${dir}/transcription`, 'utf8').trim().split('\n').map((l) => {
        const m = /^<s> (.*) <\/s> \((.*)\)$/.exec(l.trim());
        return [m?.[2] ?? '', m?.[1] ?? ''] as [string, string];
      }),
    );
    const pairs: Array<[string, string]> = [];
    const rtfs: number[] = [];
    for (const [id, ref] of refs) {
      const wav = decodeWav(fs.readFileSync(`${dir}/${id}.wav`));
      const r = await decode(await telephone(wav.samples, wav.sampleRateHz as SampleRateHz));
      pairs.push([ref, r.text]);
      rtfs.push(r.rtf);
    }
    console.log(`\n- real human speech (pocketsphinx-testdata LibriVox, ${pairs.length} utterances) over G.711, general model: WER ${f1(wordErrorRate(pairs) * 100)} %, RTF median ${f2(median(rtfs))} p90 ${f2(pct(rtfs, 0.9))}`);
  }
  await stt.close();
}

await main();
