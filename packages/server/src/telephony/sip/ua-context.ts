/**
 * The seams between the user agent core and the calls it carries: what a call may ask of the UA
 * (`UaContext`), and what the UA asks of a call inside its dialog (`DialogHandler`).
 */
import type { Clock } from '../../core/clock.ts';
import type { PacerFactory } from '../rtp/pacer.ts';
import type { RtpPortRange } from '../rtp/port-allocator.ts';
import type { Dialog } from './dialog.ts';
import type { InviteRouter } from './invite-router.ts';
import type { SipHeader, SipRequest, SipResponse } from './message.ts';
import type { SipCall } from './sip-call.ts';
import type { SipFlow } from './sip-socket.ts';
import type { SipTimers } from './timers.ts';

/** What a call (inbound or outbound) needs from the user agent around it. */
export interface UaContext {
  readonly clock: Clock;
  /** Aborted when the user agent shuts down: every lingering timer listens to it. */
  readonly closing: AbortSignal;
  readonly timers: SipTimers;
  readonly route: InviteRouter;
  readonly rtpRange: RtpPortRange;
  /** The address written into SDP and Contact. */
  readonly publicHost: string;
  readonly port: number;
  readonly rtpTimeoutMs?: number;
  readonly pacer?: PacerFactory;
  /** Common headers of our responses (Server, Allow, Supported). */
  readonly commonHeaders: readonly SipHeader[];
  send(msg: SipRequest | SipResponse, to: SipFlow): void;
  /** Sends BYE in a dialog as a client transaction; resolves on response or timeout. */
  sendBye(dialog: Dialog, flow: SipFlow): Promise<void>;
  /** Any other request in a dialog (REFER, INFO); resolves with its final response or `undefined` on timeout. */
  requestInDialog(dialog: Dialog, method: string, flow: SipFlow, opts?: { extra?: readonly SipHeader[]; body?: Buffer; contentType?: string }): Promise<SipResponse | undefined>;
  registerDialog(key: string, handler: DialogHandler): void;
  unregisterDialog(key: string): void;
  log(event: string, fields: Record<string, unknown>): void;
  /** Routes every response whose top Via carries `branch` to `handler` until the returned function is called. */
  registerClient(branch: string, handler: (r: SipResponse) => void): () => void;
}

/** What the user agent calls when a request arrives inside a dialog. */
export interface DialogHandler {
  /** ACK for our 2xx (inbound) — absent for outbound calls, which send ACKs. */
  onAck(ack: SipRequest): void;
  onBye(bye: SipRequest, flow: SipFlow): SipResponse;
  onReinvite(req: SipRequest, flow: SipFlow): void;
  /** The media session once the call is answered. */
  readonly sipCall: SipCall | undefined;
}
