/**
 * The SIP user agent core (RFC 3261): one UDP+TCP port, transaction matching (§17.2.3), dialogs,
 * and the requests a phone-agent server answers — INVITE, ACK, CANCEL, BYE, OPTIONS, re-INVITE,
 * INFO, and REFER/NOTIFY of a transfer (RFC 3515) either way.
 * Routing is injected (`InviteRouter`); media sessions are handed to the accepted route.
 * Malformed or unmatched input is answered or dropped, never thrown.
 */
import { setMaxListeners } from 'node:events';
import type { Clock } from '../../core/clock.ts';
import type { PacerFactory } from '../rtp/pacer.ts';
import { createPacerGroup } from '../rtp/pacer-group.ts';
import type { RtpPortRange } from '../rtp/port-allocator.ts';
import { type Dialog, buildInDialogRequest, buildResponse, newBranch, nextHopOf } from './dialog.ts';
import { parseCSeq, parseNameAddr, parseSipUri, parseVia } from './header-values.ts';
import { InboundCall } from './inbound-call.ts';
import { dtmfFromInfo } from './info-dtmf.ts';
import { OutboundCall, type OutboundCallOptions, type OutboundResult } from './outbound-call.ts';
import type { DialogHandler, UaContext } from './ua-context.ts';
import type { InviteRouter } from './invite-router.ts';
import { parseReferTo, parseSipfrag } from './refer.ts';
import { type SipHeader, type SipMessage, type SipRequest, type SipResponse, getHeader, getHeaderValues } from './message.ts';
import { type SipFlow, SipSocket } from './sip-socket.ts';
import { RFC3261_TIMERS, type SipTimers, retransmit, transactionTimeoutMs } from './timers.ts';

/** Options of the user agent (the SIP part of `telephony.md` → Listening addresses). */
export interface SipUserAgentOptions {
  /** Bind address (`CALLINGBOX_SIP_HOST`). */
  readonly host: string;
  /** Port for UDP and TCP; 0 picks a free one. */
  readonly port: number;
  /** Address written into SDP and Contact (`CALLINGBOX_SIP_PUBLIC_IP`); defaults to the bind address, or 127.0.0.1 for 0.0.0.0. */
  readonly publicHost?: string;
  readonly rtpPorts: { readonly minPort: number; readonly maxPort: number };
  readonly clock: Clock;
  readonly route: InviteRouter;
  readonly timers?: SipTimers;
  readonly rtpTimeoutMs?: number;
  readonly pacer?: PacerFactory;
  /** Structured log sink (pino-compatible shape: event name plus fields). */
  readonly log?: (event: string, fields: Record<string, unknown>) => void;
}

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, NOTIFY, REFER';
/** Extensions we implement; an INVITE that `Require`s anything else gets 420 (RFC 3261 §8.2.2.3). */
const SUPPORTED_EXTENSIONS: ReadonlySet<string> = new Set([]);
const SERVER = 'CallingBox';
/** How long `close()` waits for BYEs in flight to be answered before closing the sockets. */
const CLOSE_GRACE_MS = 2_000;

/** A SIP user agent on one UDP+TCP port: answers INVITEs through the injected router and places calls (`call()`). */
export class SipUserAgent {
  private readonly transactions = new Map<string, InboundCall>();
  private readonly dialogs = new Map<string, DialogHandler>();
  /** Non-INVITE server transactions: the response to repeat when the request is retransmitted (Timer J). */
  private readonly responses = new Map<string, SipResponse>();
  /** Our client transactions (BYE): branch → settle. */
  private readonly clients = new Map<string, (r: SipResponse) => void>();
  private readonly byesInFlight = new Set<Promise<void>>();
  private closed: Promise<void> | undefined;
  private readonly closing = new AbortController();
  private readonly timers: SipTimers;
  private readonly ctx: UaContext;
  private socket!: SipSocket;

  private constructor(private readonly o: SipUserAgentOptions) {
    this.timers = o.timers ?? RFC3261_TIMERS;
    // every pending transaction timer listens on this signal: one per in-flight transaction
    setMaxListeners(0, this.closing.signal);
    const publicHost = o.publicHost ?? (o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host);
    const rtpRange: RtpPortRange = { host: o.host, minPort: o.rtpPorts.minPort, maxPort: o.rtpPorts.maxPort };
    const commonHeaders: SipHeader[] = [
      { name: 'allow', value: ALLOW },
      { name: 'server', value: SERVER },
    ];
    const portOf = (): number => this.socket.port; // bound in start(), before any call can ask
    this.ctx = {
      clock: o.clock,
      closing: this.closing.signal,
      timers: this.timers,
      route: o.route,
      rtpRange,
      publicHost,
      get port() {
        return portOf();
      },
      ...(o.rtpTimeoutMs !== undefined ? { rtpTimeoutMs: o.rtpTimeoutMs } : {}),
      // one timer for all calls of this user agent (see pacer-group.ts)
      pacer: o.pacer ?? createPacerGroup(),
      commonHeaders,
      send: (m, to) => this.send(m, to),
      sendBye: (d, flow) => this.sendBye(d, flow),
      requestInDialog: (d, method, flow, opts) => this.requestInDialog(d, method, flow, opts),
      registerDialog: (k, c) => this.dialogs.set(k, c),
      unregisterDialog: (k) => this.dialogs.delete(k),
      log: (e, f) => this.log(e, f),
      registerClient: (branch, handler) => {
        this.clients.set(branch, handler);
        return () => this.clients.delete(branch);
      },
    };
  }

  /** Binds the port and starts answering. */
  static async start(o: SipUserAgentOptions): Promise<SipUserAgent> {
    const ua = new SipUserAgent(o);
    ua.socket = await SipSocket.bind(o.host, o.port, {
      onMessage: (m, f) => ua.onMessage(m, f),
      onError: (error, from) => ua.log('sip.malformed', { error, from: `${from.transport}:${from.address}:${from.port}` }),
    });
    return ua;
  }

  /** The bound SIP port (UDP and TCP). */
  get port(): number {
    return this.socket.port;
  }

  /** The address others reach us at (written into SDP and Contact). */
  get publicHost(): string {
    return this.ctx.publicHost;
  }

  /** Places an outbound call (INVITE with digest retry); resolves when answered or definitely failed. */
  call(opts: OutboundCallOptions): Promise<OutboundResult> {
    if (this.closing.signal.aborted) return Promise.resolve({ answered: false, outcome: 'failed', reason: 'user agent is shutting down' });
    return new OutboundCall(this.ctx, opts).run();
  }

  /** Calls in a dialog right now. */
  get activeCalls(): number {
    return this.dialogs.size;
  }

  /**
   * Hangs up every call with BYE, waits (at most `CLOSE_GRACE_MS`) for the BYEs in flight to be
   * answered, then closes the sockets.
   */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  private async shutdown(): Promise<void> {
    const hangups = [...this.dialogs.values()].map((c) => c.sipCall?.hangup({ cause: 'api_hangup', by: 'system' }));
    let grace: NodeJS.Timeout | undefined;
    // A real timer: shutdown is the edge, and must end even when a test's fake clock stands still
    await Promise.race([Promise.allSettled([...hangups, ...this.byesInFlight]), new Promise((r) => (grace = setTimeout(r, CLOSE_GRACE_MS)))]);
    clearTimeout(grace);
    this.closing.abort();
    for (const settle of this.clients.values()) settle({ kind: 'response', status: 408, reason: 'Shutting down', headers: [], body: Buffer.alloc(0) });
    await this.socket.close();
  }

  private log(event: string, fields: Record<string, unknown>): void {
    this.o.log?.(event, fields);
  }

  private send(m: SipMessage, to: SipFlow): void {
    if (this.closing.signal.aborted && m.kind === 'response') return;
    this.socket.send(m, to).catch((e: unknown) => this.log('sip.send_failed', { error: String(e), to: `${to.transport}:${to.address}:${to.port}` }));
  }

  private onMessage(m: SipMessage, from: SipFlow): void {
    if (m.kind === 'response') return this.onResponse(m);
    const via = parseVia(getHeaderValues(m, 'via')[0] ?? '');
    // RFC 3261 §17.2.3: branch + sent-by (+ method, except ACK/CANCEL which match the INVITE)
    const txKey = `${via?.branch ?? `${getHeader(m, 'call-id')}|${getHeader(m, 'cseq')}`}|${via?.host}:${via?.port ?? ''}`;
    const uri = parseSipUri(m.uri);
    if (!uri) return this.send(buildResponse(m, 416, { source: from }), from);
    switch (m.method) {
      case 'INVITE':
        return this.onInvite(m, from, txKey);
      case 'ACK':
        return this.onAck(m, txKey);
      case 'CANCEL':
        return this.nonInvite(m, from, txKey, () => {
          const call = this.transactions.get(txKey);
          if (!call) return buildResponse(m, 481, { source: from });
          call.onCancel();
          return buildResponse(m, 200, { source: from });
        });
      case 'BYE':
        return this.nonInvite(m, from, txKey, () => {
          const call = this.dialogOf(m);
          return call ? call.onBye(m, from) : buildResponse(m, 481, { source: from });
        });
      case 'INFO':
        return this.nonInvite(m, from, txKey, () => {
          const call = this.dialogOf(m);
          if (!call) return buildResponse(m, 481, { source: from });
          const d = dtmfFromInfo(m);
          if (d) call.sipCall?.injectDtmf(d.digit, d.durationMs);
          // RFC 6086 §4.2.2: an INFO we cannot use is refused, the dialog goes on
          return buildResponse(m, d || m.body.length === 0 ? 200 : 415, { source: from });
        });
      case 'NOTIFY':
        return this.nonInvite(m, from, txKey, () => {
          const call = this.dialogOf(m);
          if (!call) return buildResponse(m, 481, { source: from });
          // RFC 3515 §2.4.5: the progress of our REFER, as a message/sipfrag status line
          const frag = parseSipfrag(m.body.toString('utf8'));
          if (frag && (getHeader(m, 'event') ?? '').toLowerCase().startsWith('refer')) call.sipCall?.transferProgress(frag.status);
          return buildResponse(m, 200, { source: from });
        });
      case 'REFER':
        return this.nonInvite(m, from, txKey, () => {
          const call = this.dialogOf(m);
          if (!call?.sipCall) return buildResponse(m, 481, { source: from });
          // RFC 3515 §2.4.1: exactly one Refer-To
          const values = getHeaderValues(m, 'refer-to');
          const target = values.length === 1 ? parseReferTo(values[0] ?? '') : undefined;
          const cseq = parseCSeq(getHeader(m, 'cseq') ?? '');
          if (!target || !cseq) return buildResponse(m, 400, { source: from });
          return buildResponse(m, call.sipCall.referReceived(target, cseq.seq), { source: from, extra: this.ctx.commonHeaders });
        });
      case 'OPTIONS':
        return this.nonInvite(m, from, txKey, () =>
          buildResponse(m, 200, { source: from, extra: [...this.ctx.commonHeaders, { name: 'accept', value: 'application/sdp' }, { name: 'supported', value: '' }].filter((h) => h.value !== '') }),
        );
      default:
        return this.nonInvite(m, from, txKey, () => buildResponse(m, 405, { source: from, extra: this.ctx.commonHeaders }));
    }
  }

  private onInvite(m: SipRequest, from: SipFlow, txKey: string): void {
    const existing = this.transactions.get(txKey);
    if (existing) return existing.onInviteRetransmission();
    const toTag = parseNameAddr(getHeader(m, 'to') ?? '')?.tag;
    if (toTag !== undefined) {
      const call = this.dialogOf(m);
      if (!call) return this.send(buildResponse(m, 481, { source: from }), from);
      return call.onReinvite(m, from);
    }
    const unsupported = getHeaderValues(m, 'require').filter((x) => !SUPPORTED_EXTENSIONS.has(x.toLowerCase()));
    if (unsupported.length > 0) return this.send(buildResponse(m, 420, { source: from, extra: [{ name: 'unsupported', value: unsupported.join(', ') }] }), from);
    if (this.closing.signal.aborted) return this.send(buildResponse(m, 503, { source: from, extra: [{ name: 'retry-after', value: '5' }] }), from);
    const call = new InboundCall(this.ctx, m, from);
    this.transactions.set(txKey, call);
    void call
      .start()
      .catch((e: unknown) => this.log('sip.invite_failed', { error: String(e) }))
      .then(() => this.o.clock.sleep(transactionTimeoutMs(this.timers), this.closing.signal))
      .catch(() => {})
      .finally(() => this.transactions.delete(txKey));
  }

  private onAck(m: SipRequest, txKey: string): void {
    // ACK of a non-2xx matches the INVITE transaction; ACK of a 2xx is its own request in the dialog
    (this.transactions.get(txKey) ?? this.dialogOf(m))?.onAck(m);
  }

  private nonInvite(m: SipRequest, from: SipFlow, txKey: string, handle: () => SipResponse): void {
    const key = `${m.method}|${txKey}`;
    const cached = this.responses.get(key);
    if (cached) return this.send(cached, from);
    const r = handle();
    this.send(r, from);
    this.responses.set(key, r);
    void this.o.clock
      .sleep(transactionTimeoutMs(this.timers), this.closing.signal)
      .catch(() => {})
      .finally(() => this.responses.delete(key));
  }

  private dialogOf(m: SipRequest): DialogHandler | undefined {
    const toTag = parseNameAddr(getHeader(m, 'to') ?? '')?.tag;
    return toTag === undefined ? undefined : this.dialogs.get(`${getHeader(m, 'call-id') ?? ''}|${toTag}`);
  }

  private onResponse(r: SipResponse): void {
    const branch = parseVia(getHeaderValues(r, 'via')[0] ?? '')?.branch;
    if (branch) this.clients.get(branch)?.(r);
  }

  /** BYE as a non-INVITE client transaction (Timer E/F): to the first route, else back over the call's flow. */
  private sendBye(d: Dialog, flow: SipFlow): Promise<void> {
    const p = this.byeTransaction(d, flow).finally(() => this.byesInFlight.delete(p));
    this.byesInFlight.add(p);
    return p;
  }

  private async byeTransaction(d: Dialog, flow: SipFlow): Promise<void> {
    const r = await this.requestInDialog(d, 'BYE', flow);
    this.log(r ? 'sip.bye_answered' : 'sip.bye_timeout', { callId: d.callId });
  }

  /**
   * A request inside a dialog as a non-INVITE client transaction (Timer E/F): to the first route,
   * else back over the call's flow. Resolves with the final response, or `undefined` on timeout.
   */
  private async requestInDialog(d: Dialog, method: string, flow: SipFlow, opts: { extra?: readonly SipHeader[]; body?: Buffer; contentType?: string } = {}): Promise<SipResponse | undefined> {
    const hop = d.routeSet.length > 0 ? nextHopOf(d) : undefined;
    const to: SipFlow = hop ? { transport: hop.transport, address: hop.host, port: hop.port } : flow;
    const branch = newBranch();
    const host = this.ctx.publicHost.includes(':') ? `[${this.ctx.publicHost}]` : this.ctx.publicHost;
    const req = buildInDialogRequest(d, method, { transport: to.transport, host, port: this.port, branch }, { ...opts, extra: [{ name: 'user-agent', value: SERVER }, ...(opts.extra ?? [])] });
    const answered = new AbortController();
    let final: SipResponse | undefined;
    this.clients.set(branch, (r) => {
      if (r.status < 200) return;
      final = r;
      answered.abort();
    });
    await retransmit(() => this.send(req, to), { clock: this.o.clock, timers: this.timers, stop: answered.signal, reliable: to.transport !== 'udp' });
    this.clients.delete(branch);
    return final;
  }
}
