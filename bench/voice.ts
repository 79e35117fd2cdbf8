/**
 * `npm run bench:voice`: the voice loop's speed over real SIP/RTP on loopback, against the speed
 * target of `calls.md` ("the first audio leaves within 300 ms of answer when the greeting is fixed
 * text") and the per-turn timeline (`turn` call events: `gap_ms` and `parts_ms`).
 *
 * The server runs as its own process through the CLI (`callingbox start`, embedded PGlite, the
 * demo "Front desk" seeded, offline speech: Silero VAD, pocketsphinx, Flite, the intake dialogue);
 * the caller is our SIP dialer (`runDialer`) in this process speaking Flite audio, as
 * `callingbox call --say` does. A fake OpenAI server (zero latency) in this process answers the
 * agent that runs on an OpenAI-protocol model.
 *
 * 1. First audio after answer: the first call after start (cold), greetings already in the TTS
 *    sentence cache (warm), and new agents' greetings on a warm server (cache miss).
 * 2. Voice-to-voice gap per caller turn: demo conversations (three turns, as
 *    test/demo-conversation.test.ts) and conversations with the OpenAI-protocol agent.
 * 3. Concurrency: N simultaneous demo conversations beside a baseline measured at the same N in
 *    the same run: N idle calls (greeting from the cache, then the line held silent), what an
 *    answered call costs with no speech work.
 *
 * Options: --warm 5 --misses 3 --demo-calls 2 --llm-calls 3 --concurrency 1,4,8 --stagger-ms 400
 *          --hold-ms 6000 --out FILE (bench/results/voice-<date>.txt)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../packages/server/src/core/clock.ts';
import type { AudioFrame } from '../packages/server/src/core/audio/audio-frame.ts';
import { framesOf } from '../packages/server/src/core/audio/frames.ts';
import { concatInt16 } from '../packages/server/src/core/audio/resampler.ts';
import { FliteTts } from '../packages/server/src/providers/local/flite-tts.ts';
import type { DialerStep } from '../packages/server/src/telephony/sip/dialer.ts';
import { SipUserAgent } from '../packages/server/src/telephony/sip/user-agent.ts';
import { startFakeOpenAiServer } from '../packages/testkit/src/fakes/openai-server.ts';
import type { FakeLlmReply } from '../packages/testkit/src/fakes/fake-llm-server.ts';
import { processTreeCpuMs } from './proc-cpu.ts';
import { api, placeCall, startVoiceServer, type CallPlan, type CallRun, type VoiceServer } from './voice-call.ts';
import { firstAudioTable, gapTable, concurrencyTable, type Round } from './voice-report.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    warm: { type: 'string', default: '5' }, misses: { type: 'string', default: '3' },
    'demo-calls': { type: 'string', default: '2' }, 'llm-calls': { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '1,4,8' }, 'stagger-ms': { type: 'string', default: '400' },
    'hold-ms': { type: 'string', default: '6000' }, out: { type: 'string' },
  },
});
const WARM = Number(args.warm);
const MISSES = Number(args.misses);
const DEMO_CALLS = Number(args['demo-calls']);
const LLM_CALLS = Number(args['llm-calls']);
const CONCURRENCY = args.concurrency.split(',').map(Number).filter((n) => n > 0);
const STAGGER_MS = Number(args['stagger-ms']);
const HOLD_MS = Number(args['hold-ms']);
const COMMAND = `npm run bench:voice -- --warm ${WARM} --misses ${MISSES} --demo-calls ${DEMO_CALLS} --llm-calls ${LLM_CALLS} --concurrency ${CONCURRENCY.join(',')} --stagger-ms ${STAGGER_MS} --hold-ms ${HOLD_MS}`;
const DATE = new Date().toISOString().slice(0, 10);
const OUT = args.out ?? path.join(ROOT, 'bench/results', `voice-${DATE}.txt`);

// The demo conversation of test/demo-conversation.test.ts (issue 5), and one for the LLM agent.
const DEMO_SAID = ['Hi, my name is Ada Lovelace', "I'd like to move my cleaning to next week", 'You can reach me at 415 555 0134'];
const LLM_SAID = ['I would like to move my cleaning to next week.', 'My name is Ada Lovelace.', 'You can reach me at 415 555 0134.'];
/**
 * The fake model's answers, different in every call: identical text would come out of the TTS
 * sentence cache from the second call on, and a real model does not repeat itself word for word.
 */
const LLM_REPLIES = [
  ['Of course.', 'Who am I speaking with?'], ['Thank you, Ada.', 'What number can we reach you at?'], ['Thanks, we will call you back to confirm.', 'Goodbye!'],
  ['Certainly.', 'May I have your name?'], ['Thanks, Ada.', 'Which number should we call?'], ['Great, we will be in touch shortly.', 'Have a nice day!'],
  ['Sure thing.', 'And your name, please?'], ['Lovely, Ada.', 'And a callback number?'], ['Perfect, someone will ring you back today.', 'Bye for now!'],
];

const lines: string[] = [];
function say(line: string): void {
  lines.push(line);
  process.stdout.write(`${line}\n`);
}

/** The caller's words as the dialer plays them: Flite at 8 kHz, one timeline from 0 (as `callingbox call --say`). */
async function spoken(tts: FliteTts, text: string): Promise<AudioFrame[]> {
  const parts: Int16Array[] = [];
  for await (const f of tts.synthesize(text, { sampleRateHz: 8000, signal: AbortSignal.timeout(30_000) })) parts.push(f.samples);
  return [...framesOf({ samples: concatInt16(parts), sampleRateHz: 8000 })];
}

let fromSeq = 0;
/** A distinct caller number per call (the server's record is found by SIP Call-ID; this keeps logs readable). */
const nextFrom = (): string => `+1415200${String(1000 + ++fromSeq).padStart(4, '0')}`;

function logRun(label: string, r: CallRun): void {
  const gaps = r.turns.map((t) => t.gap).join('/');
  say(`  ${label.padEnd(28)} ${r.ok ? 'ok    ' : 'FAILED'} first audio: server ${fmtMs(r.firstAudioServerMs)}, caller sound ${fmtMs(r.firstSoundCallerMs)} speech ${fmtMs(r.firstAudioCallerMs)}${gaps ? `  gaps ${gaps} ms (caller ${r.callerGapsMs.map(Math.round).join('/')})` : ''}  ${(r.connectedMs / 1000).toFixed(1)} s  ${r.callId ?? ''}${r.problem ? `  — ${r.problem}` : ''}`);
  for (const [i, t] of r.turns.entries()) {
    const p = t.parts;
    say(`      turn ${i + 1}: ${t.gap} = endpointing ${p.endpointing} + stt ${p.stt} + llm ${p.llm} + tts ${p.tts} + transport ${p.transport}; at the caller ${r.callerGapsMs[i] === undefined ? '—' : Math.round(r.callerGapsMs[i]!)}; heard "${r.callerText[i] ?? ''}"`);
  }
}
const fmtMs = (v: number | null): string => (v === null ? '—' : `${Math.round(v)} ms`);

/**
 * A fixed CPU workload (as bench:api's): JSON of a 50-item page, 100 times, in CPU ms. Printed
 * before and after, so runs on other machines or under other load can be compared.
 */
function calibrate(): number {
  const page = Array.from({ length: 50 }, (_, i) => ({ id: `call_${i}`, text: 'x'.repeat(1200), n: i, nested: { a: [1, 2, 3], b: null } }));
  for (let i = 0; i < 20; i++) JSON.parse(JSON.stringify(page));
  const c0 = process.cpuUsage();
  for (let i = 0; i < 100; i++) JSON.parse(JSON.stringify(page));
  const c = process.cpuUsage(c0);
  return Math.round((c.user + c.system) / 1000);
}

async function main(): Promise<void> {
  say('# CallingBox voice loop bench');
  say(`command: ${COMMAND}`);
  say(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version}`);
  say(`calibration: ${calibrate()} ms CPU for a fixed JSON workload (lower = faster or quieter box)`);

  // Caller audio first, so nothing of ours competes with the server's cold start.
  const callerTts = new FliteTts();
  const demoSteps: DialerStep[] = [];
  const llmSteps: DialerStep[] = [];
  try {
    for (const s of DEMO_SAID) demoSteps.push({ say: await spoken(callerTts, s) });
    for (const s of LLM_SAID) llmSteps.push({ say: await spoken(callerTts, s) });
  } finally {
    await callerTts.close();
  }
  say(`caller speech synthesised by Flite (8 kHz): ${[...demoSteps, ...llmSteps].map((s) => ('say' in s ? `${((s.say as AudioFrame[]).length * 20) / 1000} s` : '')).join(', ')}`);

  const llm = await startFakeOpenAiServer();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'callingbox-bench-voice-'));
  const dataDir = path.join(tmp, 'data');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CALLINGBOX_DATA_DIR: dataDir, CALLINGBOX_LOG_LEVEL: 'warn', CALLINGBOX_DEMO: 'true',
    PORT: '0', HOST: '127.0.0.1', CALLINGBOX_SIP_PORT: '0', CALLINGBOX_SIP_HOST: '127.0.0.1', CALLINGBOX_RTP_PORTS: '0-0',
    // The bench polls the API for each call's record; the token bucket is not what is measured.
    CALLINGBOX_RATE_LIMIT_PER_SECOND: '100000', CALLINGBOX_RATE_LIMIT_BURST: '100000',
    OPENAI_API_KEY: llm.apiKey, OPENAI_BASE_URL: llm.url,
    // Where a warning (MaxListenersExceeded…) comes from, in the server's stderr tail below.
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --trace-warnings`.trim(),
  };
  delete env.DATABASE_URL;
  delete env.CALLINGBOX_LLM;
  const t0 = performance.now();
  const server = await startVoiceServer(env, dataDir);
  say(`server pid ${server.proc.pid} listening on ${server.baseUrl}, SIP ${server.sipPort}, after ${Math.round(performance.now() - t0)} ms (PGlite, data dir ${dataDir})`);
  const ua = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock, route: async () => ({ reject: 603 }) });
  try {
    await run(server, ua, llm, demoSteps, llmSteps);
  } finally {
    await ua.close();
    const tail = server.stderrTail().trim();
    await server.stop();
    await llm.close();
    fs.rmSync(tmp, { recursive: true, force: true });
    if (tail) say(`\nserver stderr (last lines):\n${tail}`);
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, `${lines.join('\n')}\n`);
    process.stdout.write(`\nraw output written to ${path.relative(ROOT, OUT)}\n`);
  }
}

async function run(server: VoiceServer, ua: SipUserAgent, llm: Awaited<ReturnType<typeof startFakeOpenAiServer>>, demoSteps: DialerStep[], llmSteps: DialerStep[]): Promise<void> {
  const [demo] = await api<Array<{ e164: string }>>(server, 'GET', '/v1/numbers');
  if (!demo) throw new Error('no demo number: was CALLINGBOX_DEMO honoured?');
  const greetingOnly = (to: string): CallPlan => ({ to, steps: [], noSpeechTimeoutMs: 10_000, turns: null });
  const conversation = (to: string, steps: DialerStep[]): CallPlan => ({ to, steps, noSpeechTimeoutMs: 20_000, turns: steps.length });

  // ── 1. first audio after answer ──────────────────────────────────────────────────────────────
  say('\n## 1. First audio after answer (greeting-only calls, one at a time)');
  const cold = [await placeCall(ua, server, greetingOnly(demo.e164), nextFrom())];
  logRun('cold: first call after start', cold[0]!);
  const warm: CallRun[] = [];
  for (let i = 0; i < WARM; i++) {
    warm.push(await placeCall(ua, server, greetingOnly(demo.e164), nextFrom()));
    logRun(`warm ${i + 1}: cached greeting`, warm.at(-1)!);
  }
  const available = await api<Array<{ phone_number: string }>>(server, 'GET', `/v1/numbers/available?limit=${MISSES + 2}`);
  const miss: CallRun[] = [];
  for (let i = 0; i < MISSES; i++) {
    const number = await api<{ id: string; e164: string }>(server, 'POST', '/v1/numbers/purchase', { phone_number: available[i]!.phone_number });
    await api(server, 'POST', '/v1/agents', {
      name: `Bench greeter ${i + 1}`, type: 'inbound', number_ids: [number.id], instructions: 'Greet the caller.',
      first_message: `Good day, this is greeter number ${['one', 'two', 'three', 'four', 'five', 'six'][i % 6]} of the bench ${i + 1}. How can I help?`,
    });
    miss.push(await placeCall(ua, server, greetingOnly(number.e164), nextFrom()));
    logRun(`miss ${i + 1}: new agent's greeting`, miss.at(-1)!);
  }

  // ── 2. voice-to-voice gap ────────────────────────────────────────────────────────────────────
  say('\n## 2. Voice-to-voice gap per caller turn (three-turn conversations, one at a time)');
  const demoRuns: CallRun[] = [];
  for (let i = 0; i < DEMO_CALLS; i++) {
    demoRuns.push(await placeCall(ua, server, conversation(demo.e164, demoSteps), nextFrom()));
    logRun(`demo ${i + 1} (offline intake)`, demoRuns.at(-1)!);
  }
  const llmNumber = await api<{ id: string; e164: string }>(server, 'POST', '/v1/numbers/purchase', { phone_number: available[MISSES]!.phone_number });
  await api(server, 'POST', '/v1/agents', {
    name: 'Bench LLM desk', type: 'inbound', number_ids: [llmNumber.id], first_message: 'Hello, this is the dental office.',
    instructions: 'Take a message: name and callback number, then say goodbye and end the call.', tools: [{ type: 'builtin', name: 'end_call' }],
    settings: { llm: 'openai' },
  });
  const llmRuns: CallRun[] = [];
  for (let i = 0; i < LLM_CALLS; i++) {
    const [a, b, c] = [0, 1, 2].map((k) => LLM_REPLIES[(i * 3 + k) % LLM_REPLIES.length]!);
    // Streamed word by word, as a model does; the last answer also calls end_call (then an empty follow-up).
    const words = (s: string[]): string[] => s.join(' ').split(/(?<= )/);
    llm.reply({ text: words(a!) }, { text: words(b!) }, { text: words(c!), toolCalls: [{ name: 'end_call', arguments: {} }] } satisfies FakeLlmReply, { text: '' });
    llmRuns.push(await placeCall(ua, server, conversation(llmNumber.e164, llmSteps), nextFrom()));
    logRun(`llm ${i + 1} (fake OpenAI, 0 ms)`, llmRuns.at(-1)!);
  }

  // ── 3. concurrency ───────────────────────────────────────────────────────────────────────────
  say(`\n## 3. Concurrency: N calls started ${STAGGER_MS} ms apart; baseline = N idle calls (cached greeting, then ${HOLD_MS} ms of silence) at the same N`);
  const idle: CallPlan = { to: demo.e164, steps: [{ pauseMs: HOLD_MS }], noSpeechTimeoutMs: 2_000, turns: null };
  const rounds: Round[] = [];
  for (const n of CONCURRENCY) {
    for (const [kind, plan] of [['idle', idle], ['demo', conversation(demo.e164, demoSteps)]] as const) {
      const round = await concurrent(server, ua, n, kind, plan);
      rounds.push(round);
      say(`  N=${n} ${kind}: ${round.runs.filter((r) => r.ok).length}/${n} ok in ${(round.wallMs / 1000).toFixed(1)} s; server CPU ${Math.round(round.serverCpuMs)} ms (${Math.round((100 * round.serverCpuMs) / round.wallMs)} % of one core, busiest second ${Math.round(round.peakCpuPct)} %), bench ${Math.round(round.benchCpuMs)} ms; load ${os.loadavg()[0]!.toFixed(1)}`);
      for (const [i, r] of round.runs.entries()) logRun(`  ${kind} ${i + 1}/${n}`, r);
    }
  }

  say('\n## Results (paste into the README)\n');
  say(`\`${COMMAND}\`: server = \`callingbox start\` as its own process (PGlite, offline speech), caller = our SIP dialer in the bench process, both on the same ${os.cpus().length} shared cores (load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end), ${DATE}.\n`);
  say(firstAudioTable({ cold, warm, miss, concurrent: rounds }));
  say('');
  say(gapTable([['Front desk demo: intake dialogue, pocketsphinx with grammar bias, Flite', demoRuns], ['OpenAI-protocol agent (fake server, 0 ms), pocketsphinx, Flite', llmRuns]]));
  say('');
  say(concurrencyTable(rounds, STAGGER_MS));
  say(`\ncalibration after: ${calibrate()} ms CPU.`);
}

/** N calls started `STAGGER_MS` apart, with the server's CPU (process tree) and ours over the round. */
async function concurrent(server: VoiceServer, ua: SipUserAgent, n: number, kind: 'idle' | 'demo', plan: CallPlan): Promise<Round> {
  const pid = server.proc.pid!;
  const c0 = processTreeCpuMs(pid) ?? 0;
  const b0 = process.cpuUsage();
  const t0 = performance.now();
  // The busiest second of the round: an average hides the moments when every call decodes at once.
  let peakCpuPct = 0;
  let last = { at: t0, cpu: c0 };
  const sampler = setInterval(() => {
    const cpu = processTreeCpuMs(pid);
    const at = performance.now();
    if (cpu === null) return;
    peakCpuPct = Math.max(peakCpuPct, (100 * (cpu - last.cpu)) / (at - last.at));
    last = { at, cpu };
  }, 1000);
  try {
    const runs = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * STAGGER_MS));
        return placeCall(ua, server, plan, nextFrom());
      }),
    );
    const wallMs = performance.now() - t0;
    const b = process.cpuUsage(b0);
    return { n, kind, runs, wallMs, serverCpuMs: (processTreeCpuMs(pid) ?? c0) - c0, peakCpuPct, benchCpuMs: (b.user + b.system) / 1000 };
  } finally {
    clearInterval(sampler);
  }
}

await main();
