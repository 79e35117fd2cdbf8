/**
 * A tiny scriptable SIP caller for tests: sends raw requests over UDP or TCP to 127.0.0.1 and
 * records every message it receives. It deliberately builds requests by hand (not through the
 * user agent's own builders) so the UA is not judged only by its own reading of the RFC.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { type SipMessage, type SipRequest, type SipResponse, getHeader } from '../sip/message.ts';
import { parseSipMessage } from '../sip/parse.ts';
import { SipStreamFramer } from '../sip/stream-framer.ts';
import { waitFor } from './wait-for.ts';

const rnd = (): string => randomBytes(5).toString('hex');

/** An SDP offer for a test caller. */
export function offerSdp(rtpPort: number, opts: { formats?: string; extra?: string[]; address?: string } = {}): string {
  const address = opts.address ?? '127.0.0.1';
  return [
    'v=0',
    `o=test 1 1 IN IP4 ${address}`,
    's=test',
    `c=IN IP4 ${address}`,
    't=0 0',
    `m=audio ${rtpPort} RTP/AVP ${opts.formats ?? '0 8 101'}`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    ...(opts.extra ?? []),
    '',
  ].join('\r\n');
}

export class SipTestClient {
  readonly received: SipMessage[] = [];
  /** Called for every request the server sends (e.g. to answer BYE at once). */
  onRequest: ((req: SipRequest) => void) | undefined;
  private udp: dgram.Socket | undefined;
  private tcp: net.Socket | undefined;
  readonly localPort: number;
  readonly fromTag = rnd();

  private constructor(
    readonly transport: 'udp' | 'tcp',
    private readonly serverPort: number,
    sock: dgram.Socket | net.Socket,
  ) {
    if (sock instanceof net.Socket) {
      this.tcp = sock;
      this.localPort = sock.localPort ?? 0;
      const framer = new SipStreamFramer();
      sock.on('data', (d) => {
        for (const i of framer.push(d)) if (i.ok && typeof i.value !== 'string') this.receive(i.value);
      });
    } else {
      this.udp = sock;
      this.localPort = sock.address().port;
      sock.on('message', (d) => {
        const r = parseSipMessage(d);
        if (r.ok) this.receive(r.value);
      });
    }
  }

  private receive(m: SipMessage): void {
    this.received.push(m);
    if (m.kind === 'request') this.onRequest?.(m);
  }

  /** Opens a client towards a server on 127.0.0.1. */
  static async open(serverPort: number, transport: 'udp' | 'tcp' = 'udp'): Promise<SipTestClient> {
    if (transport === 'tcp') {
      const s = net.connect({ host: '127.0.0.1', port: serverPort });
      await new Promise<void>((r, j) => s.once('connect', r).once('error', j));
      return new SipTestClient('tcp', serverPort, s);
    }
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    return new SipTestClient('udp', serverPort, s);
  }

  /** Sends raw bytes (also for garbage tests). */
  sendRaw(bytes: Buffer | string): void {
    const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    if (this.tcp) this.tcp.write(b);
    else this.udp?.send(b, this.serverPort, '127.0.0.1');
  }

  /** Builds request text; `headers` go after the mandatory ones. */
  request(method: string, opts: { uri?: string; callId: string; cseq: number; branch?: string; toTag?: string; body?: string; headers?: string[]; cseqMethod?: string }): string {
    const uri = opts.uri ?? `sip:+14155550123@127.0.0.1:${this.serverPort}`;
    const body = opts.body ?? '';
    return [
      `${method} ${uri} SIP/2.0`,
      `Via: SIP/2.0/${this.transport.toUpperCase()} 127.0.0.1:${this.localPort};branch=${opts.branch ?? `z9hG4bK${rnd()}`};rport`,
      'Max-Forwards: 70',
      `From: "Test" <sip:+15551234567@127.0.0.1>;tag=${this.fromTag}`,
      `To: <sip:+14155550123@127.0.0.1>${opts.toTag ? `;tag=${opts.toTag}` : ''}`,
      `Call-ID: ${opts.callId}`,
      `CSeq: ${opts.cseq} ${opts.cseqMethod ?? method}`,
      `Contact: <sip:test@127.0.0.1:${this.localPort}${this.transport === 'tcp' ? ';transport=tcp' : ''}>`,
      ...(opts.headers ?? []),
      ...(body && !(opts.headers ?? []).some((h) => /^content-type:/i.test(h)) ? ['Content-Type: application/sdp'] : []),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
  }

  /** Waits for a received message matching `pred` (and not yet consumed by an earlier wait when `fresh`). */
  async waitFor<T extends SipMessage>(pred: (m: SipMessage) => m is T, what: string, timeoutMs?: number): Promise<T>;
  async waitFor(pred: (m: SipMessage) => boolean, what: string, timeoutMs?: number): Promise<SipMessage>;
  async waitFor(pred: (m: SipMessage) => boolean, what: string, timeoutMs = 3000): Promise<SipMessage> {
    return waitFor(() => this.received.find(pred), timeoutMs, what);
  }

  /** Waits for a response with `status` to the request with `callId` and `method`. */
  response(callId: string, status: number, method = 'INVITE'): Promise<SipResponse> {
    return this.waitFor(
      (m): m is SipResponse => m.kind === 'response' && m.status === status && getHeader(m, 'call-id') === callId && (getHeader(m, 'cseq') ?? '').endsWith(` ${method}`),
      `${status} to ${method}`,
    );
  }

  /** Waits for a request from the server. */
  requestFromServer(callId: string, method: string): Promise<SipRequest> {
    return this.waitFor((m): m is SipRequest => m.kind === 'request' && m.method === method && getHeader(m, 'call-id') === callId, `${method} from server`);
  }

  /** Answers a request from the server with a bare status (e.g. 200 to BYE). */
  reply(req: SipRequest, status: number, reason = 'OK'): void {
    const lines = [`SIP/2.0 ${status} ${reason}`];
    for (const h of req.headers) if (['via', 'from', 'to', 'call-id', 'cseq'].includes(h.name)) lines.push(`${h.name}: ${h.value}`);
    this.sendRaw([...lines, 'Content-Length: 0', '', ''].join('\r\n'));
  }

  count(pred: (m: SipMessage) => boolean): number {
    return this.received.filter(pred).length;
  }

  close(): void {
    this.tcp?.destroy();
    this.udp?.close();
  }
}
