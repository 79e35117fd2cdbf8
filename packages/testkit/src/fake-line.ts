/**
 * A phone line for component tests of the voice loop (STYLE → Tests, "Component"): a
 * `MediaTransport` whose time is a `FakeClock`. Each `step()` is one 20 ms tick: the clock moves,
 * the caller's next frame arrives, and the line takes one frame of queued agent audio — the same
 * accounting the RTP pacer does (`PlayoutQueue`), so "stopped within one frame" is measurable.
 *
 * The caller's audio is scripted as utterances: frames of an utterance carry the value
 * `SPEECH_BASE + utterance index` in every sample, silence is zeros. `ScriptedVad` and
 * `ScriptedStt` read those values back, so turn-taking tests are exact and need no model.
 */
import type { AudioFrame } from '@callingbox/server/core/audio/audio-frame.ts';
import { AsyncQueue } from '@callingbox/server/telephony/async-queue.ts';
import { PlayoutQueue, SAMPLES_PER_FRAME } from '@callingbox/server/telephony/rtp/playout-queue.ts';
import type { CallMetadata, HangupReason, MediaTransport, PlayoutResult, PlayoutSegment, TransportEvent } from '@callingbox/server/telephony/transport.ts';
import type { FakeClock } from './fake-clock.ts';

/** Sample value of the first scripted utterance; utterance `i` is `SPEECH_BASE + i`. */
export const SPEECH_BASE = 1000;
const FRAME_MS = 20;

/** One frame the line sent to the caller. */
export interface SentFrame {
  readonly atMs: number;
  /** The first sample's value: what the fake TTS wrote (the sentence index + 1), 0 for an underrun. */
  readonly value: number;
}

export class FakeLine implements MediaTransport {
  readonly metadata: CallMetadata = { carrierCallId: 'fake-line', carrier: 'sandbox', dialledNumber: '+14155550100', callerNumber: '+14155550199' };
  private readonly audio = new AsyncQueue<AudioFrame>();
  private readonly eventQueue = new AsyncQueue<TransportEvent>();
  private readonly ac = new AbortController();
  private readonly playout = new PlayoutQueue();
  private readonly script: { startMs: number; endMs: number; value: number }[] = [];
  private mediaMs = 0;
  readonly sent: SentFrame[] = [];
  readonly clears: number[] = [];
  readonly dtmfSent: string[] = [];
  hangupReason: HangupReason | undefined;
  readonly fromCaller: AsyncIterable<AudioFrame> = this.audio;
  readonly events: AsyncIterable<TransportEvent> = this.eventQueue;
  readonly ended: AbortSignal = this.ac.signal;

  constructor(private readonly clock: FakeClock) {}

  /** Media time of the next frame, ms since the call was answered. */
  get nowMs(): number {
    return this.mediaMs;
  }

  /** Schedules caller speech: utterance `index` from `atMs` for `durationMs`. */
  say(index: number, atMs: number, durationMs: number): void {
    this.script.push({ startMs: atMs, endMs: atMs + durationMs, value: SPEECH_BASE + index });
  }

  pressDigit(digit: string): void {
    this.eventQueue.push({ type: 'dtmf', digit, durationMs: 100, atMs: this.mediaMs });
  }

  /** The caller hangs up. */
  callerHangup(): void {
    this.end({ cause: 'caller_hangup', by: 'caller' });
  }

  /** Runs `ms` of the call in 20 ms ticks, letting the session react after each. Stops early once the call ended. */
  async run(ms: number): Promise<void> {
    for (let t = 0; t < ms && !this.ac.signal.aborted; t += FRAME_MS) await this.step();
  }

  /** Runs until `pred()` holds (checked after each tick) or `maxMs` passed; returns whether it held. */
  async runUntil(pred: () => boolean, maxMs = 60_000): Promise<boolean> {
    for (let t = 0; t < maxMs && !this.ac.signal.aborted; t += FRAME_MS) {
      if (pred()) return true;
      await this.step();
    }
    return pred();
  }

  /** Milliseconds of agent audio sent so far (underruns excluded). */
  get agentAudioMs(): number {
    return this.sent.filter((f) => f.value !== 0).length * FRAME_MS;
  }

  /** One 20 ms tick. */
  async step(): Promise<void> {
    const at = this.mediaMs;
    const utt = this.script.find((s) => at >= s.startMs && at < s.endMs);
    const samples = new Int16Array(SAMPLES_PER_FRAME).fill(utt ? utt.value : 0);
    this.audio.push({ samples, sampleRateHz: 8000, startMs: at });
    const out = this.playout.take();
    if (out) this.sent.push({ atMs: at, value: out.samples[0] ?? 0 });
    this.mediaMs += FRAME_MS;
    await this.clock.advance(FRAME_MS);
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  }

  async play(segment: PlayoutSegment, opts: { signal: AbortSignal }): Promise<PlayoutResult> {
    if (this.ac.signal.aborted || opts.signal.aborted) return { playedMs: 0, completed: false };
    const seg = this.playout.open();
    const onAbort = (): void => seg.cancel();
    opts.signal.addEventListener('abort', onAbort, { once: true });
    this.ac.signal.addEventListener('abort', onAbort, { once: true });
    void (async () => {
      try {
        for await (const f of segment.frames) {
          if (opts.signal.aborted) break;
          seg.append(f.samples);
        }
      } finally {
        seg.finish();
      }
    })();
    const r = await seg.done;
    opts.signal.removeEventListener('abort', onAbort);
    return r;
  }

  clear(): Promise<void> {
    this.clears.push(this.mediaMs);
    this.playout.clear();
    return Promise.resolve();
  }

  sendDtmf(digits: string): Promise<void> {
    this.dtmfSent.push(digits);
    return Promise.resolve();
  }

  hangup(reason: HangupReason): Promise<void> {
    this.end(reason);
    return Promise.resolve();
  }

  private end(reason: HangupReason): void {
    if (this.ac.signal.aborted) return;
    this.hangupReason = reason;
    this.playout.clear();
    this.eventQueue.push({ type: 'hangup', cause: reason.cause, by: reason.by, atMs: this.mediaMs });
    this.eventQueue.close();
    this.audio.close();
    this.ac.abort(reason);
  }
}
