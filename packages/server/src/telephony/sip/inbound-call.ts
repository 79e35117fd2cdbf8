/**
 * One inbound INVITE from arrival to the end of its dialog (RFC 3261 §13.3, §17.2.1): 100 Trying
 * at once, routing, 180, 200 with the SDP answer retransmitted until ACK, or a final rejection
 * retransmitted until ACK; CANCEL, BYE and re-INVITE (hold) inside the dialog.
 */
import { randomInt } from 'node:crypto';
import type dgram from 'node:dgram';
import { isAbortError } from '../../core/errors.ts';
import { bindRtpSocket } from '../rtp/port-allocator.ts';
import { type DigestChallenge, formatDigestChallenge } from './digest.ts';
import { type Dialog, buildResponse, dialogFromInvite, newTag } from './dialog.ts';
import { formatHost, parseCSeq, parseNameAddr } from './header-values.ts';
import type { RouteDecision } from './invite-router.ts';
import { numbersOf } from './invite-router.ts';
import { type SipHeader, type SipRequest, type SipResponse, getHeader, getHeaderValues } from './message.ts';
import { type Sdp, parseSdp, serializeSdp } from './sdp.ts';
import { type NegotiatedMedia, answerOffer, createOffer, readAnswer } from './sdp-answer.ts';
import { SipCall } from './sip-call.ts';
import type { SipFlow } from './sip-socket.ts';
import type { DialogHandler, UaContext } from './ua-context.ts';
import { retransmit } from './timers.ts';

const SDP_TYPE = 'application/sdp';

/** One inbound INVITE transaction and, once answered, its dialog. Created by `SipUserAgent` per new INVITE. */
export class InboundCall implements DialogHandler {
  readonly localTag = newTag();
  private lastResponse: SipResponse | undefined;
  private lastReinvite: SipResponse | undefined;
  private ackWaiter: ((ack: SipRequest | undefined) => void) | undefined;
  private finalSent = false;
  private pendingAck: AbortController | undefined;
  private readonly cancelled = new AbortController();
  private dialog: Dialog | undefined;
  private call: SipCall | undefined;
  private rtpSocket: dgram.Socket | undefined;
  private localSdp: Sdp | undefined;
  private readonly sessionId = String(randomInt(1, 2 ** 31));
  private sessionVersion = 1;

  constructor(
    private readonly ctx: UaContext,
    private readonly invite: SipRequest,
    private readonly flow: SipFlow,
  ) {}

  /** `Call-ID|local tag`: how in-dialog requests find this call. */
  get dialogKey(): string {
    return `${getHeader(this.invite, 'call-id') ?? ''}|${this.localTag}`;
  }

  /** Runs the INVITE transaction; resolves once a final response was sent (and the call handed over). */
  async start(): Promise<void> {
    this.respond(buildResponse(this.invite, 100, { source: this.flow }));
    const { dialledNumber, callerNumber } = numbersOf(this.invite);
    const callId = getHeader(this.invite, 'call-id') ?? '';
    let decision: RouteDecision;
    try {
      decision = await this.ctx.route({ callId, dialledNumber, callerNumber, request: this.invite, signal: this.cancelled.signal }, this.flow);
    } catch (e) {
      if (this.cancelled.signal.aborted) return;
      this.ctx.log('sip.route_failed', { callId, error: isAbortError(e) ? 'aborted' : String(e) });
      return this.reject(500);
    }
    if (this.cancelled.signal.aborted) return;
    if (this.ctx.closing.aborted) return this.reject(503, 5); // shutting down: open no media
    if ('reject' in decision) {
      this.ctx.log('sip.rejected', { callId, dialledNumber, callerNumber, status: decision.reject, reason: decision.reason });
      return this.reject(decision.reject, decision.retryAfterS, decision.challenge);
    }
    const ctype = (getHeader(this.invite, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    // An INVITE without a body is a late offer: we offer in the 200, the answer comes in the ACK (RFC 3261 §13.2.1)
    const lateOffer = this.invite.body.length === 0;
    const offer = ctype === SDP_TYPE ? parseSdp(this.invite.body.toString('utf8')) : undefined;
    if (!lateOffer && !offer?.ok) return this.reject(488);
    try {
      this.rtpSocket = await bindRtpSocket(this.ctx.rtpRange);
    } catch (e) {
      this.ctx.log('sip.rtp_bind_failed', { callId, error: String(e) });
      return this.reject(503, 5);
    }
    const local = { address: this.ctx.publicHost, rtpPort: this.rtpSocket.address().port, sessionId: this.sessionId, sessionVersion: this.sessionVersion };
    let media: NegotiatedMedia | undefined;
    if (offer?.ok) {
      const ans = answerOffer(offer.value, local);
      if (ans.ok) [media, this.localSdp] = [ans.media, ans.answer];
    } else this.localSdp = createOffer(local);
    const dialog = dialogFromInvite(this.invite, this.localTag);
    if (!this.localSdp || !dialog || this.cancelled.signal.aborted) {
      this.closeRtp();
      if (this.cancelled.signal.aborted) return;
      return this.reject(this.localSdp ? 400 : 488);
    }
    this.dialog = dialog;
    this.ctx.registerDialog(this.dialogKey, this);
    this.respond(buildResponse(this.invite, 180, { toTag: this.localTag, source: this.flow, copyRecordRoute: true, extra: [this.contact()] }));
    this.finalSent = true;
    const acked = new Promise<SipRequest | undefined>((resolve) => (this.ackWaiter = resolve));
    this.sendUntilAcked(this.okWithSdp(this.invite), () => {
      this.ctx.log('sip.ack_timeout', { callId });
      this.ackWaiter?.(undefined);
      if (this.call) void this.call.hangup({ cause: 'transport_error', by: 'system' });
      else void this.ctx.sendBye(dialog, this.flow);
    });
    if (!media) {
      const ack = await acked;
      const answer = ack ? parseSdp(ack.body.toString('utf8')) : undefined;
      media = answer?.ok ? readAnswer(answer.value) : undefined;
      if (!media) {
        if (ack) void this.ctx.sendBye(dialog, this.flow); // no usable answer in the ACK: end the dialog
        this.ctx.unregisterDialog(this.dialogKey);
        this.closeRtp();
        return;
      }
    }
    const call = new SipCall({
      metadata: { carrierCallId: callId, carrier: 'sip', dialledNumber, callerNumber, remote: { address: this.flow.address, port: this.flow.port, transport: this.flow.transport } },
      rtpSocket: this.rtpSocket,
      media,
      clock: this.ctx.clock,
      sendBye: () => this.ctx.sendBye(dialog, this.flow),
      sendRefer: async (referTo) =>
        (await this.ctx.requestInDialog(dialog, 'REFER', this.flow, { extra: [{ name: 'refer-to', value: `<${referTo}>` }, { name: 'referred-by', value: `<sip:callingbox@${formatHost(this.ctx.publicHost)}>` }] }))?.status,
      sendNotify: async (n) => (await this.ctx.requestInDialog(dialog, 'NOTIFY', this.flow, n))?.status,
      ...(this.ctx.rtpTimeoutMs !== undefined ? { rtpTimeoutMs: this.ctx.rtpTimeoutMs } : {}),
      ...(this.ctx.pacer ? { pacer: this.ctx.pacer } : {}),
    });
    this.call = call;
    call.ended.addEventListener('abort', () => this.onEnded(), { once: true });
    this.ctx.log('sip.answered', { callId, dialledNumber, callerNumber, codec: media.encoding, lateOffer });
    try {
      await decision.accept(call);
    } catch (e) {
      this.ctx.log('sip.accept_failed', { callId, error: String(e) });
      await call.hangup({ cause: 'transport_error', by: 'system' });
    }
  }

  /** The INVITE was retransmitted: repeat our latest response (RFC 3261 §17.2.1). */
  onInviteRetransmission(): void {
    if (this.lastResponse) this.ctx.send(this.lastResponse, this.flow);
  }

  /** CANCEL matched this INVITE (the caller answers the CANCEL itself with 200). */
  onCancel(): void {
    if (this.finalSent) return; // too late: RFC 3261 §9.2, the CANCEL has no effect
    this.cancelled.abort();
    this.closeRtp();
    if (this.dialog) this.ctx.unregisterDialog(this.dialogKey);
    this.ctx.log('sip.canceled', { callId: getHeader(this.invite, 'call-id') });
    this.reject(487);
  }

  /** ACK for our final response (2xx in the dialog, or non-2xx in the transaction). */
  onAck(ack: SipRequest): void {
    this.pendingAck?.abort();
    this.pendingAck = undefined;
    this.ackWaiter?.(ack);
    this.ackWaiter = undefined;
  }

  /** BYE inside the dialog: 200 and the call ends, `ended_by: caller`. */
  onBye(bye: SipRequest, flow: SipFlow): SipResponse {
    this.pendingAck?.abort();
    this.ackWaiter?.(undefined); // a BYE before the ACK of a late offer: the call never starts
    this.call?.remoteHangup();
    return buildResponse(bye, 200, { source: flow, extra: this.ctx.commonHeaders });
  }

  /** re-INVITE inside the dialog (hold/resume, new address): answered with our SDP. */
  onReinvite(req: SipRequest, flow: SipFlow): void {
    const d = this.dialog;
    const cseq = parseCSeq(getHeader(req, 'cseq') ?? '');
    if (!d || !cseq || !this.rtpSocket || !this.call) return this.ctx.send(buildResponse(req, 481, { source: flow }), flow);
    if (this.lastReinvite && getHeader(this.lastReinvite, 'cseq') === getHeader(req, 'cseq')) return this.ctx.send(this.lastReinvite, flow); // a retransmission
    if (this.pendingAck) return this.ctx.send(buildResponse(req, 491, { source: flow }), flow); // RFC 3261 §14.2: an INVITE is still pending
    if (cseq.seq <= d.remoteSeq) return this.ctx.send(buildResponse(req, 500, { source: flow, extra: [{ name: 'retry-after', value: '1' }] }), flow);
    d.remoteSeq = cseq.seq;
    const contact = parseNameAddr(getHeaderValues(req, 'contact')[0] ?? '');
    if (contact) d.remoteTarget = contact.uri;
    if (req.body.length > 0) {
      const offer = parseSdp(req.body.toString('utf8'));
      const ans = offer.ok ? answerOffer(offer.value, { address: this.ctx.publicHost, rtpPort: this.rtpSocket.address().port, sessionId: this.sessionId, sessionVersion: this.sessionVersion + 1 }) : undefined;
      if (!ans?.ok) return this.ctx.send(buildResponse(req, 488, { source: flow }), flow); // the call goes on as before
      this.sessionVersion++;
      this.localSdp = ans.answer;
      this.call.updateMedia(ans.media);
      this.ctx.log('sip.reinvite', { callId: d.callId, held: ans.media.held });
    }
    this.sendUntilAcked(this.okWithSdp(req), () => {}, flow);
  }

  private okWithSdp(req: SipRequest): SipResponse {
    return buildResponse(req, 200, {
      toTag: this.localTag,
      source: this.flow,
      copyRecordRoute: req === this.invite,
      extra: [this.contact(), ...this.ctx.commonHeaders],
      body: Buffer.from(serializeSdp(this.localSdp as Sdp)),
      contentType: SDP_TYPE,
    });
  }

  private contact(): SipHeader {
    const transport = this.flow.transport === 'tcp' ? ';transport=tcp' : '';
    const host = this.ctx.publicHost.includes(':') ? `[${this.ctx.publicHost}]` : this.ctx.publicHost;
    return { name: 'contact', value: `<sip:callingbox@${host}:${this.ctx.port}${transport}>` };
  }

  private respond(r: SipResponse): void {
    this.lastResponse = r;
    this.ctx.send(r, this.flow);
  }

  /** A final rejection (routing's `reason` is logged, never put on the wire: no internal detail leaks). */
  private reject(status: number, retryAfterS?: number, challenge?: DigestChallenge): void {
    const extra: SipHeader[] = [...this.ctx.commonHeaders];
    if (retryAfterS !== undefined) extra.push({ name: 'retry-after', value: String(retryAfterS) });
    if (challenge && (status === 401 || status === 407)) extra.push({ name: status === 401 ? 'www-authenticate' : 'proxy-authenticate', value: formatDigestChallenge(challenge) });
    this.finalSent = true;
    this.sendUntilAcked(buildResponse(this.invite, status, { toTag: this.localTag, source: this.flow, extra }), () => {});
  }

  /** Timer G / §13.3.1.4: repeat a final response until the ACK; `onTimeout` after 64·T1 without one. */
  private sendUntilAcked(r: SipResponse, onTimeout: () => void, flow = this.flow): void {
    this.pendingAck?.abort();
    const ack = new AbortController();
    this.pendingAck = ack;
    if (flow === this.flow && getHeader(r, 'cseq') === getHeader(this.invite, 'cseq')) this.lastResponse = r;
    else this.lastReinvite = r;
    void retransmit(() => this.ctx.send(r, flow), { clock: this.ctx.clock, timers: this.ctx.timers, stop: ack.signal, reliable: flow.transport !== 'udp' }).then((result) => {
      if (this.pendingAck === ack) this.pendingAck = undefined;
      if (result === 'timeout') onTimeout();
    });
  }

  private onEnded(): void {
    this.pendingAck?.abort();
    this.ctx.unregisterDialog(this.dialogKey);
    this.ctx.log('sip.ended', { callId: getHeader(this.invite, 'call-id'), reason: this.call?.ended.reason as unknown });
  }

  private closeRtp(): void {
    try {
      this.rtpSocket?.close();
    } catch {
      // already closed
    }
    this.rtpSocket = undefined;
  }

  /** The media session, once answered. */
  get sipCall(): SipCall | undefined {
    return this.call;
  }
}
