/**
 * `SipCall`: the media-session port (`transport.ts`) for one SIP call — RTP media plus the
 * dialog's hang-up. Owns one `AbortController` whose signal is `ended`; everything the call opened
 * (the RTP socket, its pacer and timeout watcher) ends with it (STYLE rule 3).
 */
import type { Clock } from '../../core/clock.ts';
import { AsyncQueue } from '../async-queue.ts';
import type { PacerFactory } from '../rtp/pacer.ts';
import { RtpSession } from '../rtp/rtp-session.ts';
import type {
  AudioFrame,
  CallMetadata,
  HangupReason,
  MediaTransport,
  PlayoutResult,
  PlayoutSegment,
  TransferResult,
  TransportEvent,
} from '../transport.ts';
import type dgram from 'node:dgram';
import type { NegotiatedMedia } from './sdp-answer.ts';
import { type ReferNotify, type ReferTo, type SipFrag, referNotify } from './refer.ts';

/**
 * What the owner of a call does with a REFER the far end sent (RFC 3515): decline it (`status`,
 * default 603), or accept it and report how the call to the target went — the final status
 * (`200 OK` once it answered, the failure otherwise) goes back to the far end by NOTIFY.
 */
export type ReferDecision = { readonly accept: false; readonly status?: number } | { readonly accept: true; readonly outcome: Promise<SipFrag> };

/** Decides about one REFER received in the call's dialog. */
export type ReferHandler = (refer: ReferTo) => ReferDecision;

/** What a SIP call needs from its dialog and its media. */
export interface SipCallOptions {
  readonly metadata: CallMetadata;
  readonly rtpSocket: dgram.Socket;
  readonly media: NegotiatedMedia;
  readonly clock: Clock;
  /** Sends BYE in the dialog; resolves on its response or transaction timeout, never rejects. */
  readonly sendBye: () => Promise<void>;
  /** Sends REFER in the dialog; resolves with the final response status, `undefined` on timeout. */
  readonly sendRefer?: (referTo: string) => Promise<number | undefined>;
  /** Sends a NOTIFY in the dialog; resolves with the final response status, `undefined` on timeout. */
  readonly sendNotify?: (notify: ReferNotify) => Promise<number | undefined>;
  readonly rtpTimeoutMs?: number;
  readonly pacer?: PacerFactory;
}

/** How long the far end may take to report the transferred call's outcome (NOTIFY) before we give up. */
const TRANSFER_TIMEOUT_MS = 30_000;

const canSend = (m: NegotiatedMedia): boolean => m.direction === 'sendrecv' || m.direction === 'sendonly';

/** The `MediaTransport` of one SIP call (inbound or outbound). */
export class SipCall implements MediaTransport {
  readonly metadata: CallMetadata;
  readonly fromCaller: AsyncIterable<AudioFrame>;
  private readonly eventQueue = new AsyncQueue<TransportEvent>();
  readonly events: AsyncIterable<TransportEvent> = this.eventQueue;
  private readonly ac = new AbortController();
  readonly ended: AbortSignal = this.ac.signal;
  private readonly rtp: RtpSession;
  private readonly startedAtMs: number;
  private held: boolean;
  private transferWaiter: ((status: number | undefined) => void) | undefined;
  /** What to do with a REFER from the far end; without one, REFERs are declined (603). */
  referHandler: ReferHandler | undefined;

  constructor(private readonly o: SipCallOptions) {
    this.metadata = o.metadata;
    this.startedAtMs = o.clock.now();
    this.held = o.media.held;
    this.rtp = new RtpSession({
      socket: o.rtpSocket,
      encoding: o.media.encoding,
      payloadType: o.media.payloadType,
      dtmfPayloadType: o.media.dtmfPayloadType,
      remote: { address: o.media.remoteAddress, port: o.media.remotePort },
      clock: o.clock,
      signal: this.ac.signal,
      ...(o.rtpTimeoutMs !== undefined ? { rtpTimeoutMs: o.rtpTimeoutMs } : {}),
      ...(o.pacer ? { pacer: o.pacer } : {}),
      onDtmf: (d) => this.eventQueue.push({ type: 'dtmf', digit: d.digit, durationMs: d.durationMs, atMs: d.atMs }),
      onRtpTimeout: () => void this.hangup({ cause: 'rtp_timeout', by: 'system' }),
    });
    this.rtp.setHold(o.media.held, canSend(o.media));
    this.fromCaller = this.rtp.fromCaller;
  }

  /** The local RTP port (for SDP). */
  get rtpPort(): number {
    return this.rtp.localPort;
  }

  /** RTP counters, for tests and metrics. */
  get rtpStats(): RtpSession['stats'] {
    return this.rtp.stats;
  }

  play(segment: PlayoutSegment, opts: { signal: AbortSignal }): Promise<PlayoutResult> {
    if (this.ended.aborted) return Promise.resolve({ playedMs: 0, completed: false });
    return this.rtp.play(segment.frames, opts.signal);
  }

  clear(): Promise<void> {
    this.rtp.clear();
    return Promise.resolve();
  }

  async sendDtmf(digits: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.ended.aborted || opts.signal?.aborted) return;
    await this.rtp.sendDtmf(digits);
  }

  /** Ends the call from our side: media stops at once, then BYE goes out. */
  async hangup(reason: HangupReason): Promise<void> {
    if (this.ended.aborted) return;
    this.finish(reason);
    await this.o.sendBye();
  }

  /**
   * Cold transfer by REFER (RFC 3515): the far end calls `destination` itself and reports the
   * outcome by NOTIFY; on success we hang up (cause `transferred`). A rejected REFER (405, 501,
   * 603…) or a failed new call returns `transferred: false` so the caller can bridge instead.
   */
  async transfer(destination: string, opts: { signal: AbortSignal }): Promise<TransferResult> {
    if (this.ended.aborted) return { transferred: false, reason: 'ended' };
    if (!this.o.sendRefer) return { transferred: false, reason: 'unsupported' };
    const target = /^[a-z]+:/i.test(destination) ? destination : `tel:${destination}`;
    const outcome = new Promise<number | undefined>((resolve) => (this.transferWaiter = resolve));
    const status = await this.o.sendRefer(target);
    if (status === undefined || status >= 300) {
      this.transferWaiter = undefined;
      return status === undefined ? { transferred: false, reason: 'timeout' } : { transferred: false, reason: 'rejected', status };
    }
    const stop = AbortSignal.any([opts.signal, this.ended]);
    const final = await Promise.race([outcome, this.o.clock.sleep(TRANSFER_TIMEOUT_MS, stop).then(() => undefined, () => undefined)]);
    this.transferWaiter = undefined;
    if (final === undefined) return { transferred: false, reason: this.ended.aborted ? 'ended' : 'timeout' };
    if (final >= 300) return { transferred: false, reason: 'failed', status: final };
    await this.hangup({ cause: 'transferred', by: 'agent' });
    return { transferred: true };
  }

  /** A NOTIFY reported the transferred call's progress (sipfrag status); finals settle `transfer()`. */
  transferProgress(status: number): void {
    if (status >= 200) this.transferWaiter?.(status);
  }

  /**
   * The far end sent REFER with this target (RFC 3515 §2.4.2): returns the status to answer with —
   * 202 when the owner accepted it, after which NOTIFYs report `100 Trying` and then the outcome.
   */
  referReceived(target: ReferTo, referCseq: number): number {
    if (this.ended.aborted) return 481;
    if (!this.o.sendNotify) return 501;
    const decision = this.referHandler?.(target) ?? { accept: false };
    if (!decision.accept) return decision.status ?? 603;
    void this.reportRefer(decision.outcome, referCseq, this.o.sendNotify);
    return 202;
  }

  private async reportRefer(outcome: Promise<SipFrag>, referCseq: number, notify: (n: ReferNotify) => Promise<number | undefined>): Promise<void> {
    await Promise.resolve(); // let the 202 go out first
    // RFC 3515 §2.4.4: an immediate NOTIFY, then one for the final outcome
    await notify(referNotify({ status: 100, reason: 'Trying' }, referCseq));
    const final = await outcome.catch((): SipFrag => ({ status: 500, reason: 'Server Internal Error' }));
    if (!this.ended.aborted) await notify(referNotify(final.status >= 200 ? final : { status: 500, reason: 'Server Internal Error' }, referCseq));
  }

  /** The far end ended the call (BYE received). */
  remoteHangup(): void {
    this.finish({ cause: 'caller_hangup', by: 'caller' });
  }

  /** A digit that arrived by SIP INFO instead of RTP. */
  injectDtmf(digit: string, durationMs: number): void {
    if (this.ended.aborted) return;
    this.eventQueue.push({ type: 'dtmf', digit, durationMs, atMs: this.o.clock.now() - this.startedAtMs });
  }

  /** Applies a re-INVITE's negotiated media: new address, hold or resume. */
  updateMedia(media: NegotiatedMedia): void {
    if (this.ended.aborted) return;
    this.rtp.setRemote({ address: media.remoteAddress, port: media.remotePort });
    this.rtp.setHold(media.held, canSend(media));
    if (media.held !== this.held) {
      this.held = media.held;
      this.eventQueue.push({ type: 'hold', held: media.held, atMs: this.o.clock.now() - this.startedAtMs });
    }
  }

  private finish(reason: HangupReason): void {
    if (this.ended.aborted) return;
    this.eventQueue.push({ type: 'hangup', cause: reason.cause, by: reason.by, atMs: this.o.clock.now() - this.startedAtMs });
    this.eventQueue.close();
    this.ac.abort(reason);
  }
}
