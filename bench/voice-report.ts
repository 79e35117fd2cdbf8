/**
 * The tables `bench/voice.ts` prints (markdown, for the README): first audio against the 300 ms
 * target, voice-to-voice gap and its parts, and concurrency beside the idle-call baseline.
 */
import type { CallRun, TurnTiming } from './voice-call.ts';

/** calls.md → The voice loop → First message. */
export const FIRST_AUDIO_TARGET_MS = 300;
const PARTS = ['endpointing', 'stt', 'llm', 'tts', 'transport'] as const;

/** N calls placed together, and what the server (process tree) and the bench spent meanwhile. */
export interface Round {
  readonly n: number;
  readonly kind: 'idle' | 'demo';
  readonly runs: readonly CallRun[];
  readonly wallMs: number;
  readonly serverCpuMs: number;
  /** The server's CPU in the busiest 1 s sample of the round, % of one core (200 % = both cores here). */
  readonly peakCpuPct: number;
  readonly benchCpuMs: number;
}

/** Nearest-rank percentile (as the server's `call.latency`); NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const ms = (v: number): string => (Number.isFinite(v) ? String(Math.round(v)) : '—');
const pair = (values: readonly number[]): string => `${ms(percentile(values, 50))} / ${ms(percentile(values, 95))}`;
const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '—');
const defined = (xs: ReadonlyArray<number | null>): number[] => xs.filter((x): x is number => x !== null);

/** First audio after answer per kind of call, at the caller and as the server timed it. */
export function firstAudioTable(d: { cold: CallRun[]; warm: CallRun[]; miss: CallRun[]; concurrent: readonly Round[] }): string {
  const rows: Array<[string, readonly CallRun[]]> = [
    ['cold: first call after start (Flite starting, greeting synthesised while ringing)', d.cold],
    ['cache miss: a new agent\'s greeting on a warm server', d.miss],
    ['warm: greeting in the sentence cache, one call at a time', d.warm],
    ...[...new Set(d.concurrent.map((r) => r.n))].map((n): [string, CallRun[]] => [`warm, ${n} calls at once (idle and demo rounds)`, d.concurrent.filter((r) => r.n === n).flatMap((r) => [...r.runs])]),
  ];
  const out = [
    `### First audio after answer (target: ≤ ${FIRST_AUDIO_TARGET_MS} ms, calls.md), p50 / p95 / max ms\n`,
    '| calls | n | server: answered → first frame queued | caller: first sound | caller: first speech | ≤ 300 ms: server / caller sound / caller speech |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const [label, runs] of rows) {
    const cols = [runs.map((r) => r.firstAudioServerMs), runs.map((r) => r.firstSoundCallerMs), runs.map((r) => r.firstAudioCallerMs)].map(defined);
    const held = (xs: number[]): string => `${xs.filter((x) => x <= FIRST_AUDIO_TARGET_MS).length}/${runs.length}`;
    out.push(`| ${label} | ${runs.length} | ${cols.map((c) => `${pair(c)} / ${ms(Math.max(...c))}`).join(' | ')} | ${cols.map(held).join(' / ')} |`);
  }
  out.push(
    '',
    "Server: the call's `answered_at` (written just after the 200 OK went out) → the greeting segment's `started_at`, i.e. when the transport pulled the first frame into its playout queue. " +
      'Caller: 200 OK at the dialer → the first agent frame with any sound in it / the first above −36 dBFS, as its RTP receiver hands them out (after its 3 × 20 ms jitter buffer). ' +
      'Flite starts every sentence with 40–160 ms of digital silence and reaches speech level 180–260 ms in, so "first speech" includes that.',
  );
  return out.join('\n');
}

/** Gap and parts, p50 / p95, per agent. */
export function gapTable(rows: ReadonlyArray<[string, readonly CallRun[]]>): string {
  const out = [
    '### Voice-to-voice gap per caller turn (`turn` events: caller stopped → first agent audio sent), p50 / p95 ms\n',
    `| agent | calls ok | turns | gap (server) | ${PARTS.join(' | ')} | gap at the caller |`,
    `|---|---:|---:|---:|${PARTS.map(() => '---:').join('|')}|---:|`,
  ];
  for (const [label, runs] of rows) out.push(`| ${label} | ${runs.filter((r) => r.ok).length}/${runs.length} | ${gapCells(runs.flatMap((r) => [...r.turns]))} | ${pair(runs.flatMap((r) => [...r.callerGapsMs]))} |`);
  out.push('', "Gap at the caller: the end of the caller's last loud frame on the wire → the agent's first frame above −36 dBFS out of the dialer's receiver: what the server's gap leaves out (the TTS's leading silence, the pacer, the network, a 60 ms jitter buffer).");
  return out.join('\n');
}

function gapCells(turns: readonly TurnTiming[]): string {
  return [String(turns.length), pair(turns.map((t) => t.gap)), ...PARTS.map((p) => pair(turns.map((t) => t.parts[p])))].join(' | ');
}

/** Per N: demo conversations beside idle calls at the same N, with ratios. */
export function concurrencyTable(rounds: readonly Round[], staggerMs: number): string {
  const out = [
    `### Concurrency: N calls at once (started ${staggerMs} ms apart); baseline = N idle calls at the same N in the same run\n`,
    '| N | calls | ok | first speech at the caller p50 / p95 ms | gap p50 / p95 ms (server) | gap at the caller p50 / p95 ms | gap p50 × N=1 | largest part p95 ms | server CPU, % of one core: mean / busiest second | server CPU ms per call | per call-second | × idle baseline | RTP frame interval p99 / max ms |',
    '|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|',
  ];
  const gapAtOne = percentile(rounds.filter((r) => r.kind === 'demo' && r.n === Math.min(...rounds.map((x) => x.n))).flatMap((r) => r.runs.flatMap((x) => x.turns.map((t) => t.gap))), 50);
  const perCallSecond = (r: Round): number => r.serverCpuMs / (r.runs.reduce((s, x) => s + x.connectedMs, 0) / 1000);
  for (const r of rounds) {
    const turns = r.runs.flatMap((x) => [...x.turns]);
    const gaps = turns.map((t) => t.gap);
    const base = rounds.find((b) => b.kind === 'idle' && b.n === r.n);
    const largest = PARTS.map((p) => [p, percentile(turns.map((t) => t.parts[p]), 95)] as const).sort((a, b) => b[1] - a[1])[0];
    const frames = r.runs.flatMap((x) => [...x.frameGapsMs]);
    out.push([
      r.n, r.kind === 'idle' ? 'idle (baseline)' : 'demo, 3 turns', `${r.runs.filter((x) => x.ok).length}/${r.runs.length}`,
      pair(defined(r.runs.map((x) => x.firstAudioCallerMs))),
      r.kind === 'idle' ? '—' : pair(gaps), r.kind === 'idle' ? '—' : pair(r.runs.flatMap((x) => [...x.callerGapsMs])), r.kind === 'idle' ? '—' : ratio(percentile(gaps, 50), gapAtOne),
      r.kind === 'idle' || !largest ? '—' : `${largest[0]} ${ms(largest[1])}`,
      `${Math.round((100 * r.serverCpuMs) / r.wallMs)} / ${Math.round(r.peakCpuPct)}`, ms(r.serverCpuMs / r.runs.length), ms(perCallSecond(r)), base ? ratio(perCallSecond(r), perCallSecond(base)) : '—',
      `${ms(percentile(frames, 99))} / ${ms(Math.max(...frames))}`,
    ].join(' | ').replace(/^/, '| ').replace(/$/, ' |'));
  }
  out.push('', 'Server CPU: the `callingbox start` process and its children (the Flite worker), Linux /proc, over the round (dialling to the last call\'s final record). Call-seconds: answer → hang-up at the dialer, summed over the round\'s calls. RTP frame interval: time between successive agent frames at the dialer (20 ms when the pacer keeps time).');
  return out.join('\n');
}
