/**
 * What `bench/voice.ts` needs to place one measured call: the server as its own process, our SIP
 * dialer (`runDialer`) with a tap on the caller's received audio for wall-clock timing, and the
 * server's record of the call (status, `turn` events, transcript) fetched afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../packages/server/src/core/clock.ts';
import type { AudioFrame } from '../packages/server/src/core/audio/audio-frame.ts';
import { runDialer, type DialerStep } from '../packages/server/src/telephony/sip/dialer.ts';
import type { SipCall } from '../packages/server/src/telephony/sip/sip-call.ts';
import type { SipUserAgent } from '../packages/server/src/telephony/sip/user-agent.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'packages/server/bin/callingbox.mjs');
/** The dialer's own threshold for "the agent is speaking" (speech-activity.ts): ≈ −36 dBFS. */
const LOUD_RMS = 500;
/** Any sample beyond this is sound, not G.711 idle silence or digital silence (μ-law's smallest steps are ±8). */
const SOUND_PEAK = 64;
/** Statuses after which the server has written everything about a call. */
const FINAL = new Set(['completed', 'failed', 'canceled', 'no_answer', 'busy']);

/** The server under test: the real CLI (`callingbox start`) as its own process. */
export interface VoiceServer {
  readonly proc: ChildProcess;
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly sipPort: number;
  /** The last lines the server wrote to stderr (warnings, errors). */
  stderrTail(): string;
  stop(): Promise<void>;
}

/** Starts `callingbox start` on free ports and waits for "Listening on …" and its SIP port. */
export async function startVoiceServer(env: NodeJS.ProcessEnv, dataDir: string): Promise<VoiceServer> {
  const proc = spawn(process.execPath, [CLI, 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.length > 40_000) err = err.slice(-20_000);
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not listen within 120 s\n${out}\n${err}`)), 120_000);
    proc.stdout!.on('data', () => {
      const m = /Listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening\n${out}\n${err}`));
    });
  });
  const creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8')) as { api_key: string };
  const health = (await (await fetch(`${url}/v1/health`)).json()) as { ports?: { sip?: number | null } };
  if (!health.ports?.sip) throw new Error(`the server runs no SIP user agent: ${JSON.stringify(health)}`);
  return {
    proc, baseUrl: url, apiKey: creds.api_key, sipPort: health.ports.sip,
    stderrTail: () => err.split('\n').slice(-20).join('\n'),
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        const hard = setTimeout(() => proc.kill('SIGKILL'), 15_000);
        proc.kill('SIGTERM');
        await exited;
        clearTimeout(hard);
      }
    },
  };
}

/** A JSON request to the server's public API; throws on a non-2xx answer. */
export async function api<T = any>(server: Pick<VoiceServer, 'baseUrl' | 'apiKey'>, method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.baseUrl}${p}`, {
    method, headers: { authorization: `Bearer ${server.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 400)}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** One `turn` call event's timing (calls.md → Call events). */
export interface TurnTiming {
  readonly gap: number;
  readonly parts: { endpointing: number; stt: number; llm: number; tts: number; transport: number };
}

/** A call to place and what makes it a success. */
export interface CallPlan {
  readonly to: string;
  readonly steps: readonly DialerStep[];
  /** The dialer's wait for the agent to start speaking (each turn). */
  readonly noSpeechTimeoutMs: number;
  /** A conversation: the caller turns the server must time, and the agent ends the call. Null: a greeting-only call the caller ends. */
  readonly turns: number | null;
}

/** What one call measured. */
export interface CallRun {
  readonly ok: boolean;
  readonly problem: string | null;
  readonly callId: string | null;
  /** Answer (200 OK at the dialer) → first loud agent frame out of the dialer's RTP receiver (its jitter buffer holds 3 × 20 ms). */
  readonly firstAudioCallerMs: number | null;
  /** The same, for the first agent frame with any sound in it (the TTS's leading silence excluded). */
  readonly firstSoundCallerMs: number | null;
  /** Per caller turn, at the dialer: end of the caller's last loud frame on the wire → first loud agent frame received. */
  readonly callerGapsMs: readonly number[];
  /** `answered_at` → the greeting segment's `started_at` (first frame taken by the pacer), server clock. */
  readonly firstAudioServerMs: number | null;
  readonly turns: readonly TurnTiming[];
  /** What the server recognised, per caller turn (transcript). */
  readonly callerText: readonly string[];
  /** Wall time from dialling to the end of the dialer's run. */
  readonly wallMs: number;
  /** Answered → hang-up at the dialer. */
  readonly connectedMs: number;
  /** Intervals between successive agent RTP frames at the dialer (the pacer sends one per 20 ms, silence when idle). */
  readonly frameGapsMs: readonly number[];
}

interface Tap {
  answeredAt?: number;
  lastAt?: number;
  readonly gaps: number[];
  /** Every agent frame: arrival (ms after answer), and whether it is speech (loud) or any sound at all. */
  readonly frames: Array<{ at: number; loud: boolean; sound: boolean }>;
}

/** Times every agent frame the dialer receives, on the wall clock. */
async function* timed(frames: AsyncIterable<AudioFrame>, tap: Tap): AsyncGenerator<AudioFrame> {
  for await (const f of frames) {
    const now = performance.now();
    if (tap.lastAt !== undefined) tap.gaps.push(now - tap.lastAt);
    tap.lastAt = now;
    tap.frames.push({ at: now - (tap.answeredAt ?? now), loud: rms(f.samples) > LOUD_RMS, sound: f.samples.some((v) => Math.abs(v) > SOUND_PEAK) });
    yield f;
  }
}

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const v of samples) sum += v * v;
  return samples.length ? Math.sqrt(sum / samples.length) : 0;
}

/** End of the last loud frame of a scripted caller turn, ms from its start (Flite pads its speech with silence). */
function speechEndMs(step: DialerStep): number | null {
  if (!('say' in step) || !Array.isArray(step.say)) return null;
  const frames = step.say as AudioFrame[];
  for (let i = frames.length - 1; i >= 0; i--) if (rms(frames[i]!.samples) > LOUD_RMS) return (i + 1) * 20;
  return null;
}

/**
 * The user agent as `runDialer` sees it, with the answered call's received audio timed. Only the
 * call's `fromCaller` is replaced; everything else (play, hangup, the REFER handler) is the call's own.
 */
function tapped(ua: SipUserAgent, tap: Tap): SipUserAgent {
  const wrapCall = (call: SipCall): SipCall => {
    const frames = timed(call.fromCaller, tap);
    return new Proxy(call, {
      get: (t, p) => {
        if (p === 'fromCaller') return frames;
        const v: unknown = Reflect.get(t, p, t);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
      set: (t, p, v) => Reflect.set(t, p, v, t),
    });
  };
  return new Proxy(ua, {
    get: (t, p) => {
      if (p === 'call') {
        return async (o: Parameters<SipUserAgent['call']>[0]) => {
          const r = await t.call(o);
          if (!r.answered) return r;
          tap.answeredAt = performance.now();
          return { answered: true, call: wrapCall(r.call) };
        };
      }
      const v: unknown = Reflect.get(t, p, t);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
}

/** Places one call with the dialer, then reads the server's record of it. Never rejects for a failed call. */
export async function placeCall(ua: SipUserAgent, server: VoiceServer, plan: CallPlan, fromNumber: string): Promise<CallRun> {
  const tap: Tap = { gaps: [], frames: [] };
  const stepAt: number[] = [];
  const t0 = performance.now();
  const r = await runDialer(tapped(ua, tap), {
    to: `sip:${plan.to}@127.0.0.1:${server.sipPort}`, fromNumber, clock: systemClock, steps: plan.steps,
    noSpeechTimeoutMs: plan.noSpeechTimeoutMs, maxCallMs: 150_000,
    onEvent: (e) => void (e.type === 'step' && (stepAt[e.index] = e.atMs)),
  });
  const end = performance.now();
  const first = (pick: (f: Tap['frames'][number]) => boolean): number | null => tap.frames.find(pick)?.at ?? null;
  const callerGapsMs: number[] = [];
  for (const [i, step] of plan.steps.entries()) {
    const spoke = speechEndMs(step);
    if (spoke === null || stepAt[i] === undefined) continue;
    const stopped = stepAt[i]! + spoke;
    const answer = first((f) => f.loud && f.at > stopped);
    if (answer !== null) callerGapsMs.push(answer - stopped);
  }
  const base = {
    wallMs: end - t0, connectedMs: tap.answeredAt === undefined ? 0 : end - tap.answeredAt, frameGapsMs: tap.gaps,
    firstAudioCallerMs: first((f) => f.loud), firstSoundCallerMs: first((f) => f.sound), callerGapsMs,
  };
  if (!r.answered) return { ...base, ok: false, problem: `not answered (${r.outcome} ${r.status ?? ''})`, callId: null, firstAudioServerMs: null, turns: [], callerText: [] };
  const call = await finalRecord(server, r.carrierCallId!);
  if (!call) return { ...base, ok: false, problem: 'the server has no final record of the call after 60 s', callId: null, firstAudioServerMs: null, turns: [], callerText: [] };
  const events = (await api<{ data: Array<{ type: string; data: any }> }>(server, 'GET', `/v1/calls/${call.id}/events?limit=200`)).data;
  const { segments } = await api<{ segments: Array<{ role: string; started_at: string; text: string }> }>(server, 'GET', `/v1/calls/${call.id}/transcript`);
  const greeting = segments.find((s) => s.role === 'agent');
  const turns: TurnTiming[] = events.filter((e) => e.type === 'turn').map((e) => ({ gap: e.data.gap_ms, parts: e.data.parts_ms }));
  const problems: string[] = [];
  if (call.status !== 'completed' || call.error_code) problems.push(`${call.status}${call.error_code ? ` (${call.error_code}: ${call.error_message})` : ''}`);
  for (const e of events.filter((x) => x.type === 'error')) problems.push(`error event ${e.data.code}: ${e.data.message}`);
  if (base.firstAudioCallerMs === null) problems.push('the caller heard no agent audio');
  if (plan.turns !== null) {
    if (turns.length !== plan.turns) problems.push(`${turns.length} timed turns, expected ${plan.turns}`);
    if (r.endedBy !== 'agent') problems.push(`ended by the ${r.endedBy}, not the agent (hangup_cause ${call.hangup_cause})`);
  }
  return {
    ...base, ok: problems.length === 0, problem: problems.join('; ') || null, callId: call.id, turns,
    callerText: segments.filter((x) => x.role === 'caller').map((x) => x.text),
    firstAudioServerMs: greeting && call.answered_at ? Date.parse(greeting.started_at) - Date.parse(call.answered_at) : null,
  };
}

/** The call whose SIP Call-ID is `sipCallId`, once its status is final (extraction and the latency summary written). */
async function finalRecord(server: VoiceServer, sipCallId: string): Promise<any | null> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    const calls = await api<Array<{ status: string; metadata: { sip_call_id?: string } | null }>>(server, 'GET', '/v1/calls?limit=200');
    const call = calls.find((c) => c.metadata?.sip_call_id === sipCallId);
    if (call && FINAL.has(call.status)) return call;
    await new Promise((r) => setTimeout(r, 200));
  }
  return null;
}
