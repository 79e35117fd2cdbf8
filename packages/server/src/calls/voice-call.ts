import path from 'node:path';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { Dialogue, ToolRunner } from '../engine/dialogue.ts';
import type { CallControl } from '../engine/tool-runner.ts';
import { VoiceSession, type VoiceSettings } from '../engine/voice-session.ts';
import { ProviderError } from '../providers/provider-error.ts';
import type { SttProvider } from '../providers/stt.ts';
import type { TtsProvider } from '../providers/tts.ts';
import type { VadProvider } from '../providers/vad.ts';
import type { CallsTable, Json } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { TransferRoutes } from '../telephony/transfer-routes.ts';
import type { MediaTransport } from '../telephony/transport.ts';
import type { CallEnd } from './call-lifecycle.ts';
import { RecordingTransport } from './call-recording.ts';
import { StoreCallRecorder } from './store-recorder.ts';

/** The speech components a call's snapshot selects (`settings.stt`, `settings.tts`, `voice`). */
export interface VoiceStack {
  readonly vad: VadProvider;
  /** Absent when no recogniser is installed: the agent takes keypad answers (`providers.md`). */
  readonly stt: SttProvider | undefined;
  readonly tts: TtsProvider;
  /** The voice id for the TTS adapter (unqualified). */
  readonly voice?: string;
}

/** What the composition root gives the voice loop of every call. */
export interface VoiceCallDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly log: Logger;
  readonly dataDir: string;
  /** Builds the speech stack for a snapshot; throws a `ProviderError` (e.g. `provider_auth`) when it cannot. */
  speechFor(snapshot: Record<string, Json>): Promise<VoiceStack>;
  /** `keypadOnly`: the stack has no recogniser, so the caller can answer only with the keypad. */
  dialogueFor(call: CallsTable, opts: { keypadOnly: boolean }): Dialogue;
  toolsFor(call: CallsTable, control: CallControl): ToolRunner;
}

/** How a call's voice loop ended, for `CallLifecycle.ended`. */
export interface VoiceCallEnd extends CallEnd {
  readonly recordingPath: string | null;
  /** `call.latency`: voice-to-voice over the call's turns; null without a turn. */
  readonly latency: { p50_ms: number; p95_ms: number } | null;
}

/** The nearest-rank percentile of `values` (sorted here). */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** The snapshot's turn-taking settings in the engine's units. */
export function voiceSettingsOf(snapshot: Record<string, Json>): VoiceSettings {
  const s = (snapshot.settings ?? {}) as Record<string, Json>;
  const num = (v: Json | undefined, d: number): number => (typeof v === 'number' ? v : d);
  return {
    minEndpointingMs: num(s.min_endpointing_ms, 300),
    maxEndpointingMs: num(s.max_endpointing_ms, 1200),
    interruptionMinMs: num(s.interruption_min_ms, 250),
    ignoreBackchannels: s.ignore_backchannels !== false,
    silenceTimeoutMs: num(s.silence_timeout_ms, 10_000),
    maxCallMs: num(s.max_call_seconds, 3600) * 1000,
  };
}

/**
 * Runs the voice loop of one answered call on its media session: the speech stack and dialogue
 * its snapshot selects, transcript and events into the store, the recording when enabled;
 * `transferRoutes` is where `transfer_call` goes (without it: REFER to `tel:`, no bridge).
 * Resolves when the call has ended, with how it ended; never rejects for a provider's failure
 * (that is the call's `error_code`).
 */
export async function runVoiceCall(d: VoiceCallDeps, call: CallsTable, line: MediaTransport, transferRoutes?: TransferRoutes): Promise<VoiceCallEnd> {
  const snapshot = call.snapshot;
  const settings = (snapshot.settings ?? {}) as Record<string, Json>;
  const transport = settings.recording === true ? new RecordingTransport(line, d.clock) : line;
  const recorder = new StoreCallRecorder(d.store, call);
  let stack: VoiceStack;
  try {
    stack = await d.speechFor(snapshot);
  } catch (e) {
    const err = e instanceof ProviderError ? e : new ProviderError(String(e), 'provider_unavailable', 'speech', { cause: e });
    d.log.warn({ call: call.id, code: err.code, provider: err.providerId, err: err.message }, 'call failed: speech provider unavailable');
    await recorder.event('error', { code: err.code, message: err.message, recoverable: false });
    await line.hangup({ cause: 'provider_error', by: 'system' });
    return { hangupCause: 'provider_error', endedBy: 'system', errorCode: err.code, errorMessage: err.message, recordingPath: null, latency: null };
  }
  const dialogue = d.dialogueFor(call, { keypadOnly: stack.stt === undefined });
  const session = new VoiceSession({
    transport, dialogue, vad: stack.vad, stt: stack.stt, tts: stack.tts, recorder, clock: d.clock,
    settings: voiceSettingsOf(snapshot),
    makeTools: (control) => d.toolsFor(call, control),
    ...(transferRoutes ? { transferRoutes } : {}),
    ...(stack.voice ? { voice: stack.voice } : {}),
    ...(typeof snapshot.language === 'string' ? { language: snapshot.language } : {}),
    log: (msg, fields) => d.log.warn({ call: call.id, ...fields }, msg),
  });
  const out = await session.run();
  const recordingPath = transport instanceof RecordingTransport ? await transport.save(path.join(d.dataDir, 'recordings', `${call.id}.wav`)) : null;
  const cause = out.hangupCause === 'transport_error' ? 'carrier_error' : out.hangupCause;
  return {
    hangupCause: cause,
    endedBy: out.endedBy,
    ...(out.error ? { errorCode: out.error.code, errorMessage: out.error.message } : {}),
    ...(cause === 'carrier_error' ? { errorCode: 'carrier_error', errorMessage: 'media or signalling failed' } : {}),
    dialogueFields: dialogue.filledFields(),
    recordingPath,
    latency: out.gapsMs.length ? { p50_ms: percentile(out.gapsMs, 50), p95_ms: percentile(out.gapsMs, 95) } : null,
  };
}
