/**
 * The scripted SIP caller behind `callingbox call` (`telephony.md` → The CLI dialer), minus the
 * command line: places a call through a `SipUserAgent`, waits for the agent to finish each turn,
 * then speaks the next scripted audio or sends DTMF, records both sides, and reports how the call
 * went. Text-to-speech, WAV files and the live transcript belong to the CLI around it.
 */
import type { Clock } from '../../core/clock.ts';
import type { DigestCredentials } from './digest.ts';
import type { AudioFrame } from '../transport.ts';
import { SpeechActivityDetector } from './speech-activity.ts';
import type { SipUserAgent } from './user-agent.ts';

/** One thing the caller does, after the agent's turn. */
export type DialerStep =
  | { readonly say: Iterable<AudioFrame> | AsyncIterable<AudioFrame> }
  | { readonly dtmf: string }
  | { readonly pauseMs: number };

/** What happened, as it happens (for live output). */
export type DialerEvent =
  | { readonly type: 'ringing' | 'answered' }
  | { readonly type: 'agent-speech-start' | 'agent-speech-end'; readonly atMs: number }
  | { readonly type: 'step'; readonly index: number; readonly atMs: number }
  | { readonly type: 'ended'; readonly by: 'caller' | 'agent' }
  /** The agent transferred us by REFER (accepted: the agent's side hangs up next; declined: the call goes on). */
  | { readonly type: 'transfer'; readonly target: string; readonly accepted: boolean };

/** A dialer run. */
export interface DialerOptions {
  readonly to: string;
  readonly fromNumber: string;
  readonly credentials?: DigestCredentials;
  readonly steps: readonly DialerStep[];
  readonly clock: Clock;
  /** The agent's turn is over after this much quiet following its speech. */
  readonly turnSilenceMs?: number;
  /** …or when it has not started speaking within this long. */
  readonly noSpeechTimeoutMs?: number;
  /** Hang up after this long in any case. */
  readonly maxCallMs?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: DialerEvent) => void;
  /**
   * What to do when the agent transfers the call by REFER (RFC 3515): `accept` (the default)
   * answers 202 and reports the transfer done (NOTIFY `100 Trying`, then `200 OK`) without
   * calling the target — the script ends when the agent's side hangs up; `decline` answers 603,
   * as a phone without transfer support would, so the agent has to bridge the call instead.
   */
  readonly refer?: 'accept' | 'decline';
}

/** How the call went. Audio is 8 kHz PCM16 on the call's timeline (ms after answer). */
export interface DialerResult {
  readonly answered: boolean;
  readonly outcome?: 'busy' | 'no_answer' | 'canceled' | 'failed';
  readonly status?: number;
  readonly carrierCallId?: string;
  readonly endedBy?: 'caller' | 'agent';
  readonly agentTurns: readonly { startMs: number; endMs: number | undefined }[];
  readonly fromAgent: readonly AudioFrame[];
  readonly toAgent: readonly { atMs: number; samples: Int16Array }[];
  readonly dtmfSent: string;
  /** The REFER target, when the agent transferred the call and we accepted. */
  readonly transferredTo?: string;
}

const POLL_MS = 20;
/** An agent that has not started speaking after this long is taken to be silent. Generous: an offline
 * recogniser on a busy machine can take seconds to answer a turn, and hanging up early loses the call. */
const DEFAULT_NO_SPEECH_TIMEOUT_MS = 15_000;

/** Runs the script; never rejects for call failures (they are in the result). */
export async function runDialer(ua: SipUserAgent, o: DialerOptions): Promise<DialerResult> {
  const emit = (e: DialerEvent): void => o.onEvent?.(e);
  const r = await ua.call({ to: o.to, fromNumber: o.fromNumber, onRinging: () => emit({ type: 'ringing' }), ...(o.credentials ? { credentials: o.credentials } : {}), ...(o.signal ? { signal: o.signal } : {}) });
  const empty = { agentTurns: [], fromAgent: [], toAgent: [], dtmfSent: '' };
  if (!r.answered) return { answered: false, outcome: r.outcome, ...(r.status !== undefined ? { status: r.status } : {}), ...empty };
  const call = r.call;
  let transferredTo: string | undefined;
  call.referHandler = (refer) => {
    const accepted = (o.refer ?? 'accept') === 'accept';
    emit({ type: 'transfer', target: refer.uri, accepted });
    if (!accepted) return { accept: false, status: 603 };
    transferredTo = refer.uri;
    return { accept: true, outcome: Promise.resolve({ status: 200, reason: 'OK' }) };
  };
  emit({ type: 'answered' });
  const answeredAt = o.clock.now();
  const since = (): number => o.clock.now() - answeredAt;
  const fromAgent: AudioFrame[] = [];
  const toAgent: { atMs: number; samples: Int16Array }[] = [];
  const turns: { startMs: number; endMs: number | undefined }[] = [];
  const detector = new SpeechActivityDetector({ endSilenceMs: o.turnSilenceMs ?? 800 });
  let turnsEnded = 0;
  const listening = (async () => {
    for await (const f of call.fromCaller) {
      fromAgent.push(f);
      for (const e of detector.push(f)) {
        if (e.type === 'speech-start') turns.push({ startMs: e.atMs, endMs: undefined });
        else {
          const last = turns.at(-1);
          if (last) last.endMs = e.atMs;
          turnsEnded++;
        }
        emit({ type: e.type === 'speech-start' ? 'agent-speech-start' : 'agent-speech-end', atMs: e.atMs });
      }
    }
  })();
  const stop = AbortSignal.any([call.ended, ...(o.signal ? [o.signal] : [])]);
  let weHungUp = false;
  const hangup = async (): Promise<void> => {
    weHungUp = true;
    await call.hangup({ cause: 'caller_hangup', by: 'caller' });
  };
  // maxCallMs (or the caller's abort) ends the call from our side, wherever the script is
  void o.clock
    .sleep(o.maxCallMs ?? 120_000, stop)
    .then(hangup, () => (o.signal?.aborted && !call.ended.aborted ? hangup() : undefined));

  /** Waits until the agent spoke and went quiet (a new turn ended), or never started within the timeout. */
  const agentTurn = async (): Promise<void> => {
    const endedBefore = turnsEnded;
    const startedBefore = turns.length;
    const start = o.clock.now();
    while (!stop.aborted) {
      if (turnsEnded > endedBefore) return;
      const quietSoFar = turns.length === startedBefore && !detector.speaking;
      if (quietSoFar && o.clock.now() - start >= (o.noSpeechTimeoutMs ?? DEFAULT_NO_SPEECH_TIMEOUT_MS)) return;
      await o.clock.sleep(POLL_MS, stop).catch(() => {});
    }
  };

  let dtmfSent = '';
  for (const [index, step] of o.steps.entries()) {
    await agentTurn();
    if (stop.aborted) break;
    emit({ type: 'step', index, atMs: since() });
    if ('say' in step) {
      const frames = step.say;
      const tee = async function* (): AsyncGenerator<AudioFrame> {
        for await (const f of frames) {
          toAgent.push({ atMs: since(), samples: f.samples });
          yield f;
        }
      };
      await call.play({ frames: tee() }, { signal: stop });
    } else if ('dtmf' in step) {
      await call.sendDtmf(step.dtmf, { signal: stop });
      dtmfSent += step.dtmf;
    } else await o.clock.sleep(step.pauseMs, stop).catch(() => {});
  }
  await agentTurn(); // hear the agent's answer to the last step
  if (!call.ended.aborted) await hangup();
  const endedBy: 'caller' | 'agent' = weHungUp ? 'caller' : 'agent';
  emit({ type: 'ended', by: endedBy });
  await listening;
  return { answered: true, carrierCallId: call.metadata.carrierCallId, endedBy, agentTurns: turns, fromAgent, toAgent, dtmfSent, ...(transferredTo ? { transferredTo } : {}) };
}

/**
 * Both sides of a dialer call as one stereo 8 kHz PCM16 track (interleaved: left = agent,
 * right = caller), each placed on the call's timeline — what `--record call.wav` writes.
 */
export function stereoRecording(r: Pick<DialerResult, 'fromAgent' | 'toAgent'>): Int16Array {
  const at = (ms: number): number => Math.max(0, Math.round(ms * 8));
  // Our frames are queued faster than real time: each plays after the one before it
  const ours: { start: number; samples: Int16Array }[] = [];
  let next = 0;
  for (const s of r.toAgent) {
    const start = Math.max(at(s.atMs), next);
    ours.push({ start, samples: s.samples });
    next = start + s.samples.length;
  }
  let length = next;
  for (const f of r.fromAgent) length = Math.max(length, at(f.startMs) + f.samples.length);
  const out = new Int16Array(length * 2);
  for (const f of r.fromAgent) f.samples.forEach((v, i) => (out[(at(f.startMs) + i) * 2] = v));
  for (const o of ours) o.samples.forEach((v, i) => (out[(o.start + i) * 2 + 1] = v));
  return out;
}
