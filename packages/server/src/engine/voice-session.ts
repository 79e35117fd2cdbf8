/**
 * The voice loop of one call (`calls.md` → The voice loop): caller audio → VAD → turn detector →
 * STT → dialogue → sentence chunker → TTS → pacer → caller audio, with barge-in, DTMF, silence
 * prompts and the per-turn timeline. The session is the call's owner: everything it starts hangs
 * off one `AbortController`, and `run()` resolves only after all of it stopped.
 *
 * Stages are the units beside this file (`endpointing.ts`, `barge-in.ts`, `stt-turn.ts`,
 * `playout.ts`) and the ports it is given; this file only wires them and keeps the turn state.
 */
import { setMaxListeners } from 'node:events';
import type { AudioFrame } from '../core/audio/audio-frame.ts';
import { resampleFrames } from '../core/audio/resampler.ts';
import type { Clock } from '../core/clock.ts';
import { isAbortError } from '../core/errors.ts';
import { ProviderError } from '../providers/provider-error.ts';
import { sentences } from '../providers/sentence-chunker.ts';
import type { SttProvider } from '../providers/stt.ts';
import type { TtsProvider } from '../providers/tts.ts';
import type { VadProvider } from '../providers/vad.ts';
import { AsyncQueue } from '../telephony/async-queue.ts';
import type { TransferRoutes } from '../telephony/transfer-routes.ts';
import type { EndedBy, HangupCause, MediaTransport } from '../telephony/transport.ts';
import { BargeInDetector } from './barge-in.ts';
import { runBridge } from './bridge.ts';
import type { CallRecorder } from './call-recorder.ts';
import type { Dialogue, DialogueInput, ToolRunner } from './dialogue.ts';
import { endpointDelayMs } from './endpointing.ts';
import { speak } from './playout.ts';
import { DtmfEntry } from './dtmf-entry.ts';
import { SttTurn } from './stt-turn.ts';
import { turnEvent, type TurnTimeline } from './turn-timeline.ts';
import type { BridgeResult, CallControl } from './tool-runner.ts';

/** The turn-taking knobs of the snapshot's `settings` (`api.md`), in milliseconds. */
export interface VoiceSettings {
  readonly minEndpointingMs: number;
  readonly maxEndpointingMs: number;
  readonly interruptionMinMs: number;
  readonly ignoreBackchannels: boolean;
  readonly silenceTimeoutMs: number;
  readonly maxCallMs: number;
}

export interface VoiceSessionDeps {
  readonly transport: MediaTransport;
  readonly dialogue: Dialogue;
  readonly vad: VadProvider;
  /** Absent when no recogniser is available: the caller answers with the keypad. */
  readonly stt: SttProvider | undefined;
  readonly tts: TtsProvider;
  readonly makeTools: (control: CallControl) => ToolRunner;
  /** Where `transfer_call` goes: the REFER target and the bridged leg. Without it, REFER names the number as `tel:` and nothing is bridged. */
  readonly transferRoutes?: TransferRoutes;
  readonly recorder: CallRecorder;
  readonly clock: Clock;
  readonly settings: VoiceSettings;
  readonly voice?: string;
  readonly language?: string;
  readonly log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface VoiceSessionOutcome {
  readonly hangupCause: string;
  readonly endedBy: EndedBy;
  /** Set when a provider failed the call (`error_code`). */
  readonly error?: ProviderError;
  readonly callerTurns: number;
  /** Voice-to-voice gap of every answered caller turn, ms (caller stopped → first agent audio sent). */
  readonly gapsMs: readonly number[];
}

/** Audio kept from before the VAD decided speech began, so the recogniser hears the first syllable. */
const PRE_ROLL_MS = 250;
/** How much recent audio is kept for the pre-roll (the VAD decides speech began 100–150 ms late). */
const PRE_ROLL_KEEP_MS = 600;
/** The VAD's own silence before it reports `speech_end`; the endpointing adds what the transcript cues ask for. */
const VAD_MIN_SILENCE_MS = 200;
const VAD_MIN_SPEECH_MS = 100;
/** Digits typed with no `#` end the entry after this pause (as IVRs do). */
const DTMF_IDLE_MS = 2500;
/** Caller frames waiting for a bridged leg: a leg that stalls loses old audio instead of adding delay. */
const BRIDGE_MAX_QUEUED_FRAMES = 10;

interface CallerTurnState {
  readonly ac: AbortController;
  /** Detaches the turn from the call's signal once the turn is over. */
  readonly release: () => void;
  readonly stt: SttTurn | null;
  readonly startMs: number;
  /** Wall-clock time the speech began (the VAD's decision time minus its delay). */
  readonly startedAt: number;
  speechEndMs?: number;
  /** Wall-clock time the caller stopped speaking, likewise. */
  speechEndAt?: number;
  endpointAc?: AbortController;
  interrupted: boolean;
}

interface ReplyState {
  readonly ac: AbortController;
  readonly startedAt: number;
  firstAudioSentAt?: number;
  interrupted: boolean;
  done: Promise<void>;
}

export class VoiceSession {
  private readonly call = new AbortController();
  private readonly barge: BargeInDetector;
  private readonly tools: ToolRunner;
  private readonly preRoll: AudioFrame[] = [];
  private turn: CallerTurnState | null = null;
  private reply: ReplyState | null = null;
  private replyChain: Promise<void> = Promise.resolve();
  private callerTurns = 0;
  private readonly gapsMs: number[] = [];
  private lastCallerText = '';
  private endRequested = false;
  private silenceAc: AbortController | null = null;
  private silenceCount = 0;
  private readonly keypad: DtmfEntry;
  private failure: ProviderError | undefined;
  private readonly background = new Set<Promise<unknown>>();
  /** Set once a bridged transfer connected: the agent has left, caller frames go to the leg. */
  private bridge: { readonly leg: MediaTransport; readonly frames: AsyncQueue<AudioFrame> } | null = null;

  constructor(private readonly d: VoiceSessionDeps) {
    this.barge = new BargeInDetector({ interruptionMinMs: d.settings.interruptionMinMs, ignoreBackchannels: d.settings.ignoreBackchannels });
    this.keypad = new DtmfEntry({ clock: d.clock, idleMs: DTMF_IDLE_MS, signal: this.call.signal, onEntry: (digits) => this.onKeypadEntry(digits), track: (p) => this.track(p) });
    this.tools = d.makeTools({
      endAfterReply: () => void (this.endRequested = true),
      sendDtmf: (digits, signal) => d.transport.sendDtmf(digits, { signal }),
      ...(d.transport.transfer
        ? { transfer: async (number: string, signal: AbortSignal) => d.transport.transfer!((await d.transferRoutes?.referTarget(number, { signal })) ?? number, { signal }) }
        : {}),
      ...(d.transferRoutes ? { bridge: (number: string, signal: AbortSignal) => this.bridgeTo(number, signal, d.transferRoutes!) } : {}),
      recordEvent: (type, data) => d.recorder.event(type, data),
    });
  }

  /** Runs the call until it ends from either side; never rejects. */
  async run(): Promise<VoiceSessionOutcome> {
    const { transport } = this.d;
    const onEnded = (): void => this.call.abort(transport.ended.reason);
    if (transport.ended.aborted) onEnded();
    else transport.ended.addEventListener('abort', onEnded, { once: true });
    const vadAudio = new AsyncQueue<AudioFrame>();
    const tasks = [
      this.pumpAudio(vadAudio),
      this.watchVad(vadAudio),
      this.watchEvents(),
      this.limitDuration(),
    ].map((p) => p.catch((e: unknown) => this.fail(e)));
    this.respond({ type: 'call_start' });
    await Promise.all(tasks);
    this.call.abort();
    await this.replyChain;
    await Promise.all(this.background);
    const reason = transport.ended.reason as { cause?: string; by?: EndedBy } | undefined;
    const base = { callerTurns: this.callerTurns, gapsMs: this.gapsMs };
    if (this.failure) return { ...base, hangupCause: 'provider_error', endedBy: 'system', error: this.failure };
    const cause = reason?.cause ?? 'caller_hangup';
    // A bridged call ends as transferred, whichever side left (max_duration and media failures stay what they are).
    const transferred = this.bridge && (cause === 'caller_hangup' || cause === 'transferred');
    return { ...base, hangupCause: transferred ? 'transferred' : cause, endedBy: reason?.by ?? 'caller' };
  }

  // ── caller audio ────────────────────────────────────────────────────────────────────────────

  /** Decodes and resamples once at the edge, to the rate the recogniser and VAD share. */
  private edge(): AsyncIterable<AudioFrame> {
    const sttRates = this.d.stt?.capabilities.nativeSampleRatesHz ?? [];
    const vadRates = this.d.vad.capabilities.nativeSampleRatesHz;
    const shared = sttRates.find((r) => vadRates.includes(r)) ?? sttRates[0] ?? vadRates[0];
    const frames = this.divertWhenBridged(this.d.transport.fromCaller);
    return shared === undefined ? frames : resampleFrames(frames, shared);
  }

  /** Caller frames, as they came, go to the bridged leg once there is one, and no longer to VAD and STT. */
  private async *divertWhenBridged(frames: AsyncIterable<AudioFrame>): AsyncGenerator<AudioFrame> {
    try {
      for await (const f of frames) {
        if (this.bridge) this.bridge.frames.push(f);
        else yield f;
      }
    } finally {
      this.bridge?.frames.close();
    }
  }

  private async pumpAudio(vadAudio: AsyncQueue<AudioFrame>): Promise<void> {
    try {
      for await (const f of this.edge()) {
        const endMs = f.startMs + (f.samples.length * 1000) / f.sampleRateHz;
        this.preRoll.push(f);
        while (this.preRoll.length > 0 && (this.preRoll[0] as AudioFrame).startMs < endMs - PRE_ROLL_KEEP_MS) this.preRoll.shift();
        this.turn?.stt?.push(f);
        vadAudio.push(f);
        if (this.reply && this.turn && !this.turn.interrupted && this.barge.shouldInterrupt(endMs)) this.interrupt(this.turn);
      }
    } finally {
      vadAudio.close();
    }
  }

  private async watchVad(audio: AsyncIterable<AudioFrame>): Promise<void> {
    for await (const e of this.d.vad.detect(audio, { signal: this.call.signal, minSilenceMs: VAD_MIN_SILENCE_MS, minSpeechMs: VAD_MIN_SPEECH_MS })) {
      if (e.type === 'speech_start') this.onSpeechStart(e.speechStartMs, e.atMs);
      else if (e.type === 'speech_end') this.onSpeechEnd(e.speechEndMs, e.atMs);
    }
  }

  private onSpeechStart(speechStartMs: number, atMs: number): void {
    this.cancelSilence();
    this.silenceCount = 0;
    if (this.reply) this.barge.speechStarted(speechStartMs);
    const turn = this.turn;
    if (turn) {
      turn.endpointAc?.abort();
      delete turn.speechEndMs;
      delete turn.speechEndAt;
      return;
    }
    if (!this.d.stt) return; // keypad only: speech cannot be understood
    const ac = new AbortController();
    const onCall = (): void => ac.abort();
    this.call.signal.addEventListener('abort', onCall, { once: true });
    const stt = new SttTurn(this.d.stt, {
      bias: this.d.dialogue.expecting(),
      signal: ac.signal,
      ...(this.d.language ? { language: this.d.language } : {}),
      onText: (text) => this.turn === next && this.barge.heard(text),
    });
    for (const f of this.preRoll) if (f.startMs >= speechStartMs - PRE_ROLL_MS) stt.push(f);
    // Wall times come from when the VAD decided, less how far back in the audio its decision reached.
    const release = (): void => this.call.signal.removeEventListener('abort', onCall);
    const next: CallerTurnState = { ac, release, stt, startMs: speechStartMs, startedAt: this.d.clock.now() - (atMs - speechStartMs), interrupted: false };
    this.turn = next;
  }

  private onSpeechEnd(speechEndMs: number, atMs: number): void {
    this.barge.speechEnded();
    const turn = this.turn;
    if (!turn) return;
    if (this.reply && !turn.interrupted) {
      // Speech over the agent that never became an interruption: a backchannel or noise.
      this.turn = null;
      turn.stt?.cancel();
      turn.ac.abort();
      turn.release();
      return;
    }
    turn.speechEndMs = speechEndMs;
    turn.speechEndAt = this.d.clock.now() - (atMs - speechEndMs);
    const wait = Math.max(0, endpointDelayMs(turn.stt?.text ?? '', this.d.settings) - (atMs - speechEndMs));
    const ac = new AbortController();
    turn.endpointAc = ac;
    this.track(
      this.d.clock.sleep(wait, AbortSignal.any([ac.signal, this.call.signal])).then(
        () => this.endTurn(turn),
        (e: unknown) => {
          if (!isAbortError(e)) throw e;
        },
      ),
    );
  }

  /** The endpoint: the recogniser's final becomes the caller's turn and the dialogue answers it. */
  private async endTurn(turn: CallerTurnState): Promise<void> {
    if (this.turn !== turn || turn.speechEndAt === undefined) return;
    this.turn = null;
    const endpointAt = this.d.clock.now();
    const result = await turn.stt!.end().finally(turn.release);
    const sttFinalAt = this.d.clock.now();
    if (this.call.signal.aborted) return;
    if (!result.text) {
      if (!this.reply) this.startSilenceTimer();
      return;
    }
    const callerSpeechEndAt = turn.speechEndAt;
    await this.d.recorder.segment({ role: 'caller', text: result.text, startedAtMs: turn.startedAt, endedAtMs: callerSpeechEndAt, source: 'stt' });
    this.callerTurns += 1;
    this.lastCallerText = result.text;
    this.respond(
      { type: 'caller_turn', text: result.text, source: 'speech', ...(result.confidence !== undefined ? { confidence: result.confidence } : {}) },
      { turnNo: this.callerTurns, callerSpeechEndAt, endpointAt, sttFinalAt },
    );
  }

  private interrupt(turn: CallerTurnState | null): void {
    const reply = this.reply;
    if (!reply || reply.interrupted) return;
    reply.interrupted = true;
    if (turn) turn.interrupted = true;
    // Stop the audio first (within the frame being decided on), then cancel LLM and TTS work.
    void this.d.transport.clear();
    reply.ac.abort();
  }

  // ── DTMF, hang-up, limits ───────────────────────────────────────────────────────────────────

  private async watchEvents(): Promise<void> {
    for await (const e of this.d.transport.events) {
      if (e.type === 'dtmf') this.onDigit(e.digit);
      if (e.type === 'hangup') break;
    }
  }

  private onDigit(digit: string): void {
    this.track(this.d.recorder.event('dtmf', { digits: digit, direction: 'from_caller' }));
    if (this.bridge) {
      this.track(this.bridge.leg.sendDtmf(digit).catch(() => {})); // the leg may not take RFC 4733
      return;
    }
    this.cancelSilence();
    this.silenceCount = 0;
    this.interrupt(null);
    this.keypad.press(digit);
  }

  /** A finished keypad entry is a caller turn. */
  private onKeypadEntry(digits: string): void {
    const text = `[DTMF ${digits}]`;
    const now = this.d.clock.now();
    this.callerTurns += 1;
    this.lastCallerText = text;
    this.track(this.d.recorder.segment({ role: 'caller', text, startedAtMs: now, endedAtMs: now, source: 'dtmf' }));
    this.respond({ type: 'caller_turn', text, source: 'dtmf' });
  }

  private async limitDuration(): Promise<void> {
    try {
      await this.d.clock.sleep(this.d.settings.maxCallMs, this.call.signal);
    } catch (e) {
      if (isAbortError(e)) return;
      throw e;
    }
    await this.d.transport.hangup({ cause: 'max_duration', by: 'system' });
  }

  private startSilenceTimer(): void {
    this.cancelSilence();
    if (this.call.signal.aborted || this.turn) return;
    const ac = new AbortController();
    this.silenceAc = ac;
    this.track(
      this.d.clock.sleep(this.d.settings.silenceTimeoutMs, AbortSignal.any([ac.signal, this.call.signal])).then(
        () => {
          this.silenceCount += 1;
          this.respond({ type: 'silence', count: this.silenceCount });
        },
        (e: unknown) => {
          if (!isAbortError(e)) throw e;
        },
      ),
    );
  }

  private cancelSilence(): void {
    this.silenceAc?.abort();
    this.silenceAc = null;
  }

  // ── the agent's replies ─────────────────────────────────────────────────────────────────────

  /** Starts a reply after the previous one stopped (a new caller turn cuts the old reply short). */
  private respond(input: DialogueInput, timeline?: TurnTimeline): void {
    if (this.bridge) return; // the agent left the call
    const prev = this.reply;
    if (prev) this.interrupt(null);
    this.cancelSilence();
    const ac = new AbortController();
    // Every sentence of a reply is a queued `play()` listening on this signal: a long read-back has dozens.
    setMaxListeners(200, ac.signal);
    const reply: ReplyState = { ac, startedAt: this.d.clock.now(), interrupted: false, done: Promise.resolve() };
    this.reply = reply;
    const run = this.replyChain.then(async () => {
      if (this.call.signal.aborted || ac.signal.aborted) return;
      const onCall = (): void => ac.abort();
      this.call.signal.addEventListener('abort', onCall, { once: true });
      try {
        await this.runReply(reply, input, timeline);
      } finally {
        this.call.signal.removeEventListener('abort', onCall);
        if (this.reply === reply) this.reply = null;
      }
    });
    reply.done = run.catch((e: unknown) => this.fail(e));
    this.replyChain = reply.done;
  }

  private async runReply(reply: ReplyState, input: DialogueInput, timeline: TurnTimeline | undefined): Promise<void> {
    const { clock, dialogue, tts, transport } = this.d;
    const signal = reply.ac.signal;
    this.endRequested = false;
    let llmFirstTokenAt: number | undefined;
    let ttsFirstAudioAt: number | undefined;
    const tools = this.tools;
    const lastCallerText = this.lastCallerText;
    const text = async function* (): AsyncGenerator<string> {
      for await (const delta of dialogue.reply(input, { signal, tools: { run: (call, o) => tools.run(call, { ...o, callerLastTurn: lastCallerText }) } })) {
        if (!delta.text) continue;
        llmFirstTokenAt ??= clock.now();
        yield delta.text;
      }
    };
    // The sentence chunker stage: TTS receives whole sentences, each ended by a newline.
    const chunked = async function* (): AsyncGenerator<string> {
      for await (const s of sentences(text())) yield `${s}\n`;
    };
    const spoken = await speak(tts.synthesize(chunked(), { signal, ...(this.d.voice ? { voice: this.d.voice } : {}) }), transport, {
      signal,
      onFirstAudio: () => void (ttsFirstAudioAt = clock.now()),
      onFirstFrame: () => void (reply.firstAudioSentAt = clock.now()),
    });
    const interrupted = spoken.interrupted && !this.call.signal.aborted && !this.bridge;
    dialogue.heard(spoken.playedText, interrupted);
    const now = clock.now();
    if (spoken.playedText) {
      await this.d.recorder.segment({ role: 'agent', text: spoken.playedText, startedAtMs: reply.firstAudioSentAt ?? reply.startedAt, endedAtMs: now, source: 'tts', interrupted });
    }
    if (interrupted && reply.firstAudioSentAt !== undefined) {
      await this.d.recorder.event('barge_in', { turn_no: timeline?.turnNo ?? this.callerTurns, at_ms_into_turn: now - reply.firstAudioSentAt, played_text: spoken.playedText });
    }
    if (timeline && reply.firstAudioSentAt !== undefined) {
      const event = turnEvent(timeline, llmFirstTokenAt, ttsFirstAudioAt, reply.firstAudioSentAt, interrupted);
      this.gapsMs.push(event.gap_ms);
      await this.d.recorder.event('turn', event);
    }
    if (this.call.signal.aborted || interrupted || this.bridge) return;
    if (this.endRequested) {
      const silence = input.type === 'silence';
      await transport.hangup({ cause: (silence ? 'silence_timeout' : 'agent_hangup') satisfies HangupCause, by: 'agent' });
      return;
    }
    if (input.type === 'silence' && input.count >= 2) {
      await transport.hangup({ cause: 'silence_timeout', by: 'agent' });
      return;
    }
    this.startSilenceTimer();
  }

  // ── bridged transfer ────────────────────────────────────────────────────────────────────────

  /** Dials the leg; once it answers, the agent leaves and the bridge carries the call until either side hangs up. */
  private async bridgeTo(number: string, signal: AbortSignal, routes: TransferRoutes): Promise<BridgeResult> {
    if (this.call.signal.aborted || this.bridge) return { bridged: false, reason: 'ended' };
    const r = await routes.dial(number, { signal: AbortSignal.any([signal, this.call.signal]) });
    if (!r.answered) return { bridged: false, reason: this.call.signal.aborted ? 'ended' : r.outcome, ...(r.status !== undefined ? { status: r.status } : {}) };
    if (this.call.signal.aborted || signal.aborted) {
      await r.leg.hangup({ cause: 'canceled', by: 'system' });
      signal.throwIfAborted();
      return { bridged: false, reason: 'ended' };
    }
    const bridge = { leg: r.leg, frames: new AsyncQueue<AudioFrame>(BRIDGE_MAX_QUEUED_FRAMES) };
    this.bridge = bridge;
    // The agent leaves: what it was saying stops, its turn-taking stops, nothing new is said.
    this.reply?.ac.abort();
    void this.d.transport.clear();
    this.cancelSilence();
    this.keypad.cancel();
    this.turn?.stt?.cancel();
    this.turn?.ac.abort();
    this.turn = null;
    this.track(runBridge({ caller: this.d.transport, callerFrames: bridge.frames, leg: r.leg }));
    return { bridged: true };
  }

  // ── plumbing ────────────────────────────────────────────────────────────────────────────────

  /** A provider failed: the call ends with its error code (`provider_auth`, …) — never a hang. */
  private fail(e: unknown): void {
    if (isAbortError(e) || (this.call.signal.aborted && !(e instanceof ProviderError))) return;
    if (this.failure) return;
    const err = e instanceof ProviderError ? e : new ProviderError(e instanceof Error ? e.message : String(e), 'provider_unavailable', 'engine', { cause: e });
    this.failure = err;
    this.d.log?.('voice loop failed', { code: err.code, provider: err.providerId, message: err.message });
    this.track(this.d.recorder.event('error', { code: err.code, message: err.message, recoverable: false }));
    this.track(this.d.transport.hangup({ cause: 'provider_error', by: 'system' }));
  }

  private track(p: Promise<unknown>): void {
    const t = p.catch((e: unknown) => this.fail(e)).finally(() => this.background.delete(t));
    this.background.add(t);
  }
}
