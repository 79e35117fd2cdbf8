/**
 * The media-session port (`telephony.md`): every carrier — SIP/RTP, Twilio Media Streams, the
 * browser WebSocket, the sandbox — hands the voice loop one of these per call, and the voice loop
 * never learns which carrier it talks to.
 *
 * Audio direction is `fromCaller` / `toCaller` (STYLE naming); `inbound`/`outbound` is call
 * direction only.
 */

import type { AudioFrame } from '../core/audio/audio-frame.ts';

// The frame type lives in core (imports flow one way); the port re-exports it for its users.
export type { AudioFrame, SampleRateHz } from '../core/audio/audio-frame.ts';

/** The frame length every carrier uses: 20 ms, the RTP packetisation time of G.711 (RFC 3551 §4.5). */
export const FRAME_MS = 20;

/** Which carrier a session belongs to (the `carrier` of a phone number). */
export type Carrier = 'sip' | 'sandbox' | 'twilio' | 'web';

/** Why a call ended, as recorded in `hangup_cause`. */
export type HangupCause =
  | 'caller_hangup'
  | 'agent_hangup'
  | 'rtp_timeout'
  | 'canceled'
  | 'transport_error'
  | 'max_duration'
  | 'api_hangup'
  | 'transferred'
  | 'silence_timeout'
  | 'provider_error';

/** Who ended the call (`ended_by`). */
export type EndedBy = 'caller' | 'agent' | 'system';

/** What `hangup()` is asked to do; the cause is recorded, the carrier sends its own signal (SIP BYE, Twilio stop). */
export interface HangupReason {
  readonly cause: HangupCause;
  readonly by: EndedBy;
}

/** Something that happened on the line other than audio. */
export type TransportEvent =
  /** A DTMF digit from the caller (RFC 4733 on SIP, `dtmf` on Twilio); emitted once, at its end. */
  | { readonly type: 'dtmf'; readonly digit: string; readonly durationMs: number; readonly atMs: number }
  /** The caller put the call on hold (`held: true`) or resumed it; the agent pauses while held. */
  | { readonly type: 'hold'; readonly held: boolean; readonly atMs: number }
  /** The call ended, from either side. Always the last event. */
  | { readonly type: 'hangup'; readonly cause: HangupCause; readonly by: EndedBy; readonly atMs: number };

/** Audio to send to the caller: frames at any supported rate; the carrier converts once at the edge. */
export interface PlayoutSegment {
  readonly frames: AsyncIterable<AudioFrame> | Iterable<AudioFrame>;
}

/** What was really sent (STYLE rule 5: playout is observed, not guessed). */
export interface PlayoutResult {
  /** Milliseconds of the segment actually put on the wire. */
  readonly playedMs: number;
  /** `true` when every frame went out; `false` after `clear()`, abort or hang-up. */
  readonly completed: boolean;
}

/** How a cold transfer ended. On `transferred: true` the call has ended (cause `transferred`). */
export type TransferResult =
  | { readonly transferred: true }
  | { readonly transferred: false; readonly reason: 'rejected' | 'failed' | 'timeout' | 'unsupported' | 'ended'; readonly status?: number };

/** Where the remote media or signalling comes from. */
export interface RemoteAddress {
  readonly address: string;
  readonly port: number;
  readonly transport: 'udp' | 'tcp' | 'ws' | 'wss';
}

/** Who called whom, through which carrier. */
export interface CallMetadata {
  /** The carrier's own id for the call (SIP Call-ID, Twilio CallSid, web call id). */
  readonly carrierCallId: string;
  readonly carrier: Carrier;
  /** The dialled number, E.164 when it looks like a phone number, else the raw user part. */
  readonly dialledNumber: string;
  /** The caller's number or identity (`client:web` for browsers). */
  readonly callerNumber: string;
  readonly remote?: RemoteAddress;
}

/**
 * One call's media session. Every method is safe to call after the call ended: it resolves
 * quietly (STYLE rule 2).
 */
export interface MediaTransport {
  readonly metadata: CallMetadata;
  /** Caller audio in 20 ms frames; ends when the call ends. Iterate once. */
  readonly fromCaller: AsyncIterable<AudioFrame>;
  /** DTMF, hold and hang-up; ends after the `hangup` event. Iterate once. */
  readonly events: AsyncIterable<TransportEvent>;
  /** Aborted when the call ends, from either side; `reason` is the `HangupReason`. */
  readonly ended: AbortSignal;
  /** Queues audio and resolves when it was really sent (or dropped by `clear()`, abort or hang-up). */
  play(segment: PlayoutSegment, opts: { signal: AbortSignal }): Promise<PlayoutResult>;
  /** Barge-in: drops everything queued; pending `play()` calls resolve with `completed: false`. */
  clear(): Promise<void>;
  /** Sends DTMF digits (`0-9*#A-D`) to the caller, one after another. */
  sendDtmf(digits: string, opts?: { signal?: AbortSignal }): Promise<void>;
  /** Ends the call from our side; resolves once the carrier acknowledged or gave up. */
  hangup(reason: HangupReason): Promise<void>;
  /**
   * Cold transfer to `destination` (a SIP URI or E.164 number), where the carrier can (SIP REFER,
   * Twilio call update). When absent or `transferred: false`, the caller of this method may bridge
   * an outbound leg instead (`telephony.md` → Transfer).
   */
  transfer?(destination: string, opts: { signal: AbortSignal }): Promise<TransferResult>;
}
