/**
 * One outbound call (RFC 3261 §13.2, §17.1.1): INVITE with our SDP offer, Timer A/B
 * retransmission, provisional responses (ringing), digest retry on 401/407 with the trunk's
 * credentials, CANCEL on ring timeout or abort, ACK for every final response, then the media
 * session. Outcomes follow `telephony.md` → Outbound: 486/600/603 busy, 408/480/no answer
 * no_answer, other failures failed with the SIP code.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type dgram from 'node:dgram';
import { bindRtpSocket } from '../rtp/port-allocator.ts';
import { type DigestCredentials, buildDigestAuthorization, parseDigestChallenge } from './digest.ts';
import { type Dialog, buildInDialogRequest, buildResponse, dialogFromResponse, newBranch, newTag, nextHopOf } from './dialog.ts';
import { formatHost, parseCSeq, parseNameAddr, parseSipUri } from './header-values.ts';
import { type SipHeader, type SipRequest, type SipResponse, getHeader, getHeaderValues } from './message.ts';
import { type Sdp, parseSdp, serializeSdp } from './sdp.ts';
import { answerOffer, createOffer, readAnswer } from './sdp-answer.ts';
import { SipCall } from './sip-call.ts';
import type { SipFlow } from './sip-socket.ts';
import { retransmit, transactionTimeoutMs } from './timers.ts';
import type { DialogHandler, UaContext } from './ua-context.ts';

/** What to dial and as whom. */
export interface OutboundCallOptions {
  /** `sip:user@host[:port][;transport=tcp]`. */
  readonly to: string;
  /** Caller id (From user part), e.g. an E.164 number. */
  readonly fromNumber: string;
  readonly fromDisplayName?: string;
  /** The trunk's credentials, used once when challenged with 401/407. */
  readonly credentials?: DigestCredentials;
  /** spec: `ring_timeout_s` default 30. */
  readonly ringTimeoutMs?: number;
  /** Aborting before answer sends CANCEL (`canceled`); after answer it does nothing (use `hangup`). */
  readonly signal?: AbortSignal;
  /** Called on the first 180/183. */
  readonly onRinging?: () => void;
  readonly extraHeaders?: readonly SipHeader[];
}

/** How an outbound attempt ended. */
export type OutboundResult =
  | { readonly answered: true; readonly call: SipCall }
  | { readonly answered: false; readonly outcome: 'busy' | 'no_answer' | 'canceled' | 'failed'; readonly status?: number; readonly reason: string };

const DEFAULT_RING_TIMEOUT_MS = 30_000;
const SDP_TYPE = 'application/sdp';

/** One outbound INVITE transaction and, once answered, its dialog. Created by `SipUserAgent.call()`. */
export class OutboundCall implements DialogHandler {
  private readonly callId = `${randomBytes(10).toString('hex')}@callingbox`;
  private readonly fromTag = newTag();
  private readonly sessionId = String(randomInt(1, 2 ** 31));
  private rtpSocket: dgram.Socket | undefined;
  private localSdp: Sdp | undefined;
  private dialog: Dialog | undefined;
  private call: SipCall | undefined;
  private cancelReason: 'no_answer' | 'canceled' | undefined;
  private pendingAck: AbortController | undefined;

  constructor(
    private readonly ctx: UaContext,
    private readonly o: OutboundCallOptions,
  ) {}

  get sipCall(): SipCall | undefined {
    return this.call;
  }

  /** Places the call; resolves when it was answered or definitely failed. Never rejects. */
  async run(): Promise<OutboundResult> {
    const target = parseSipUri(this.o.to);
    if (!target || target.scheme === 'tel') return this.failed(undefined, `not a SIP URI: ${this.o.to}`);
    const flow: SipFlow = { transport: target.params.get('transport')?.toLowerCase() === 'tcp' ? 'tcp' : 'udp', address: target.host.replace(/^\[|\]$/g, ''), port: target.port ?? 5060 };
    try {
      this.rtpSocket = await bindRtpSocket(this.ctx.rtpRange);
    } catch (e) {
      return this.failed(undefined, `no RTP port: ${String(e)}`);
    }
    this.localSdp = createOffer({ address: this.ctx.publicHost, rtpPort: this.rtpSocket.address().port, sessionId: this.sessionId, sessionVersion: 1 });
    let cseq = 1;
    let auth: SipHeader | undefined;
    for (;;) {
      const invite = this.buildInvite(cseq, flow, auth);
      const final = await this.inviteTransaction(invite, flow);
      if (!final) return this.failed(408, this.cancelReason ? 'no answer to CANCEL' : 'no response (Timer B)', this.cancelReason);
      if (final.status >= 200 && final.status < 300) return this.answered(invite, final);
      if ((final.status === 401 || final.status === 407) && this.o.credentials && !auth) {
        const challenge = parseDigestChallenge(getHeader(final, final.status === 401 ? 'www-authenticate' : 'proxy-authenticate') ?? '');
        if (challenge) {
          const value = buildDigestAuthorization(challenge, this.o.credentials, { method: 'INVITE', uri: this.o.to });
          auth = { name: final.status === 401 ? 'authorization' : 'proxy-authorization', value };
          cseq++;
          continue;
        }
      }
      const s = final.status;
      if (s === 487 && this.cancelReason) return this.failed(s, final.reason, this.cancelReason);
      if (s === 486 || s === 600 || s === 603) return this.failed(s, final.reason, 'busy');
      if (s === 408 || s === 480) return this.failed(s, final.reason, 'no_answer');
      return this.failed(s, final.reason);
    }
  }

  private buildInvite(cseq: number, flow: SipFlow, auth: SipHeader | undefined): SipRequest {
    const host = formatHost(this.ctx.publicHost);
    const name = this.o.fromDisplayName ? `"${this.o.fromDisplayName.replace(/["\\\r\n]/g, '')}" ` : '';
    const transport = flow.transport === 'tcp' ? ';transport=tcp' : '';
    const hs: SipHeader[] = [
      { name: 'via', value: `SIP/2.0/${flow.transport.toUpperCase()} ${host}:${this.ctx.port};branch=${newBranch()};rport` },
      { name: 'max-forwards', value: '70' },
      { name: 'from', value: `${name}<sip:${encodeURIComponent(this.o.fromNumber).replace(/%2B/g, '+')}@${host}>;tag=${this.fromTag}` },
      { name: 'to', value: `<${this.o.to}>` },
      { name: 'call-id', value: this.callId },
      { name: 'cseq', value: `${cseq} INVITE` },
      { name: 'contact', value: `<sip:callingbox@${host}:${this.ctx.port}${transport}>` },
      ...this.ctx.commonHeaders,
      ...(auth ? [auth] : []),
      ...(this.o.extraHeaders ?? []),
      { name: 'content-type', value: SDP_TYPE },
    ];
    return { kind: 'request', method: 'INVITE', uri: this.o.to, headers: hs, body: Buffer.from(serializeSdp(this.localSdp as Sdp)) };
  }

  /** Timer A/B, ring timeout and CANCEL; resolves with the final response, or `undefined` on Timer B. */
  private inviteTransaction(invite: SipRequest, flow: SipFlow): Promise<SipResponse | undefined> {
    const branch = /branch=([^;]+)/.exec(getHeader(invite, 'via') ?? '')?.[1] ?? '';
    const responded = new AbortController(); // any response stops Timer A
    const finished = new AbortController();
    let ringing = false;
    return new Promise<SipResponse | undefined>((resolve) => {
      const finish = (r: SipResponse | undefined): void => {
        if (finished.signal.aborted) return;
        finished.abort();
        responded.abort();
        resolve(r);
      };
      const unregister = this.ctx.registerClient(branch, (r) => {
        if (parseCSeq(getHeader(r, 'cseq') ?? '')?.method !== 'INVITE') return; // the CANCEL's own 200
        responded.abort();
        if (r.status < 200) {
          if ((r.status === 180 || r.status === 183) && !ringing) {
            ringing = true;
            this.o.onRinging?.();
          }
          return;
        }
        if (r.status >= 300) this.ctx.send(this.non2xxAck(invite, r), flow); // every copy is ACKed (§17.1.1.3)
        else if (this.dialog) this.sendAck(this.dialog, invite); // a retransmitted 2xx: our ACK was lost
        finish(r);
      });
      // Keep matching retransmitted finals for 64·T1 after the end, then forget the branch
      finished.signal.addEventListener(
        'abort',
        () => void this.ctx.clock.sleep(transactionTimeoutMs(this.ctx.timers), this.ctx.closing).catch(() => {}).finally(unregister),
        { once: true },
      );
      void retransmit(() => this.ctx.send(invite, flow), { clock: this.ctx.clock, timers: this.ctx.timers, stop: responded.signal, reliable: flow.transport !== 'udp' }).then((res) => {
        if (res === 'timeout' && !responded.signal.aborted) finish(undefined);
      });
      const cancel = (reason: 'no_answer' | 'canceled'): void => {
        if (finished.signal.aborted || this.cancelReason) return;
        this.cancelReason = reason;
        const req = this.cancelFor(invite);
        void retransmit(() => this.ctx.send(req, flow), { clock: this.ctx.clock, timers: this.ctx.timers, stop: finished.signal, reliable: flow.transport !== 'udp' }).then((res) => {
          if (res === 'timeout') finish(undefined);
        });
      };
      void this.ctx.clock
        .sleep(this.o.ringTimeoutMs ?? DEFAULT_RING_TIMEOUT_MS, finished.signal)
        .then(() => cancel('no_answer'))
        .catch(() => {});
      // The user agent shutting down ends the attempt (and its timers) at once
      if (this.ctx.closing.aborted) finish(undefined);
      else this.ctx.closing.addEventListener('abort', () => finish(undefined), { once: true });
      if (this.o.signal?.aborted) cancel('canceled');
      else this.o.signal?.addEventListener('abort', () => cancel('canceled'), { once: true });
    });
  }

  private answered(invite: SipRequest, ok: SipResponse): OutboundResult {
    const dialog = dialogFromResponse(invite, ok);
    const answer = parseSdp(ok.body.toString('utf8'));
    const media = answer.ok ? readAnswer(answer.value) : undefined;
    if (!dialog) return this.failed(ok.status, '2xx without Contact or To tag');
    this.dialog = dialog;
    this.sendAck(dialog, invite);
    const hop = nextHopOf(dialog);
    const flow: SipFlow = hop ? { transport: hop.transport, address: hop.host, port: hop.port } : { transport: 'udp', address: '127.0.0.1', port: 5060 };
    if (!media) {
      void this.ctx.sendBye(dialog, flow);
      return this.failed(488, 'the answer has no G.711 audio');
    }
    this.call = new SipCall({
      metadata: { carrierCallId: this.callId, carrier: 'sip', dialledNumber: parseSipUri(this.o.to)?.user ?? this.o.to, callerNumber: this.o.fromNumber, remote: { address: flow.address, port: flow.port, transport: flow.transport } },
      rtpSocket: this.rtpSocket as dgram.Socket,
      media,
      clock: this.ctx.clock,
      sendBye: () => this.ctx.sendBye(dialog, flow),
      sendRefer: async (referTo) =>
        (await this.ctx.requestInDialog(dialog, 'REFER', flow, { extra: [{ name: 'refer-to', value: `<${referTo}>` }, { name: 'referred-by', value: `<sip:callingbox@${formatHost(this.ctx.publicHost)}>` }] }))?.status,
      sendNotify: async (n) => (await this.ctx.requestInDialog(dialog, 'NOTIFY', flow, n))?.status,
      ...(this.ctx.rtpTimeoutMs !== undefined ? { rtpTimeoutMs: this.ctx.rtpTimeoutMs } : {}),
      ...(this.ctx.pacer ? { pacer: this.ctx.pacer } : {}),
    });
    const key = `${this.callId}|${this.fromTag}`;
    this.ctx.registerDialog(key, this);
    this.call.ended.addEventListener('abort', () => {
      this.pendingAck?.abort();
      this.ctx.unregisterDialog(key);
    });
    return { answered: true, call: this.call };
  }

  private sendAck(d: Dialog, invite: SipRequest): void {
    const hop = nextHopOf(d);
    if (!hop) return;
    const cseq = parseCSeq(getHeader(invite, 'cseq') ?? '')?.seq ?? 1;
    const ack = buildInDialogRequest(d, 'ACK', { transport: hop.transport, host: formatHost(this.ctx.publicHost), port: this.ctx.port, branch: newBranch() }, { cseq });
    this.ctx.send(ack, { transport: hop.transport, address: hop.host, port: hop.port });
  }

  /** RFC 3261 §17.1.1.3: the ACK of a non-2xx reuses the INVITE's Via and Request-URI, with the response's To. */
  private non2xxAck(invite: SipRequest, r: SipResponse): SipRequest {
    return this.sameTransaction(invite, 'ACK', getHeader(r, 'to') ?? '');
  }

  /** RFC 3261 §9.1: CANCEL copies Request-URI, Call-ID, From, To, the CSeq number and the top Via of the INVITE. */
  private cancelFor(invite: SipRequest): SipRequest {
    return this.sameTransaction(invite, 'CANCEL', getHeader(invite, 'to') ?? '');
  }

  private sameTransaction(invite: SipRequest, method: string, to: string): SipRequest {
    const cseq = parseCSeq(getHeader(invite, 'cseq') ?? '')?.seq ?? 1;
    const hs: SipHeader[] = [
      { name: 'via', value: getHeaderValues(invite, 'via')[0] ?? '' },
      { name: 'max-forwards', value: '70' },
      ...invite.headers.filter((h) => h.name === 'route'),
      { name: 'from', value: getHeader(invite, 'from') ?? '' },
      { name: 'to', value: to },
      { name: 'call-id', value: this.callId },
      { name: 'cseq', value: `${cseq} ${method}` },
    ];
    return { kind: 'request', method, uri: invite.uri, headers: hs, body: Buffer.alloc(0) };
  }

  private failed(status: number | undefined, reason: string, outcome: 'busy' | 'no_answer' | 'canceled' | 'failed' = 'failed'): OutboundResult {
    try {
      this.rtpSocket?.close();
    } catch {
      // already closed
    }
    this.ctx.log('sip.outbound_failed', { callId: this.callId, to: this.o.to, status, outcome });
    return { answered: false, outcome, reason, ...(status !== undefined ? { status } : {}) };
  }

  onAck(): void {
    this.pendingAck?.abort();
  }

  onBye(bye: SipRequest, flow: SipFlow): SipResponse {
    this.call?.remoteHangup();
    return buildResponse(bye, 200, { source: flow, extra: this.ctx.commonHeaders });
  }

  /** A re-INVITE from the callee (hold/resume): answered from our current offer, retransmitted until ACK. */
  onReinvite(req: SipRequest, flow: SipFlow): void {
    const d = this.dialog;
    const cseq = parseCSeq(getHeader(req, 'cseq') ?? '');
    if (!d || !cseq || !this.call || !this.rtpSocket) return this.ctx.send(buildResponse(req, 481, { source: flow }), flow);
    if (cseq.seq <= d.remoteSeq) return this.ctx.send(buildResponse(req, 500, { source: flow }), flow);
    d.remoteSeq = cseq.seq;
    const contact = parseNameAddr(getHeaderValues(req, 'contact')[0] ?? '');
    if (contact) d.remoteTarget = contact.uri;
    let body = Buffer.from(serializeSdp(this.localSdp as Sdp));
    if (req.body.length > 0) {
      const offer = parseSdp(req.body.toString('utf8'));
      const ans = offer.ok ? answerOffer(offer.value, { address: this.ctx.publicHost, rtpPort: this.rtpSocket.address().port, sessionId: this.sessionId, sessionVersion: cseq.seq + 1 }) : undefined;
      if (!ans?.ok) return this.ctx.send(buildResponse(req, 488, { source: flow }), flow);
      this.call.updateMedia(ans.media);
      body = Buffer.from(serializeSdp(ans.answer));
    }
    const host = formatHost(this.ctx.publicHost);
    const ok = buildResponse(req, 200, { source: flow, extra: [{ name: 'contact', value: `<sip:callingbox@${host}:${this.ctx.port}>` }, ...this.ctx.commonHeaders], body, contentType: SDP_TYPE });
    this.pendingAck?.abort();
    const ack = new AbortController();
    this.pendingAck = ack;
    void retransmit(() => this.ctx.send(ok, flow), { clock: this.ctx.clock, timers: this.ctx.timers, stop: ack.signal, reliable: flow.transport !== 'udp' });
  }
}
