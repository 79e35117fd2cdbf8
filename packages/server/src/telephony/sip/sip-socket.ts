/**
 * SIP over UDP and TCP on one port (RFC 3261 §18): binds both, parses datagrams, frames TCP
 * streams, and sends messages back over the flow they came from. The only socket owner of the
 * signalling path; everything above it handles parsed messages. Malformed input is reported
 * through `onError` and dropped — it never throws into the event loop.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { TransportError } from '../transport-error.ts';
import type { SipMessage } from './message.ts';
import { parseSipMessage } from './parse.ts';
import { serializeSipMessage } from './serialize.ts';
import { CRLF_KEEPALIVE_PONG, SipStreamFramer } from './stream-framer.ts';

/** Where a message came from, or where one goes. */
export interface SipFlow {
  readonly transport: 'udp' | 'tcp';
  readonly address: string;
  readonly port: number;
}

/** Callbacks of the socket layer. */
export interface SipSocketHandlers {
  onMessage(msg: SipMessage, from: SipFlow): void;
  onError?(error: string, from: SipFlow): void;
}

/** Open TCP connections above this are refused: one host must not exhaust file descriptors. */
const MAX_TCP_CONNECTIONS = 1_000;
/** An idle TCP connection is closed after this long (RFC 3261 leaves it to the implementation). */
const TCP_IDLE_MS = 5 * 60_000;

const key = (address: string, port: number): string => `${address}|${port}`;

/** The UDP socket and TCP server of one SIP port, with the open TCP connections. */
export class SipSocket {
  private readonly connections = new Map<string, net.Socket>();
  private constructor(
    private readonly udp: dgram.Socket,
    private readonly tcp: net.Server,
    private readonly handlers: SipSocketHandlers,
  ) {
    udp.on('message', (data, rinfo) => this.onDatagram(data, { transport: 'udp', address: rinfo.address, port: rinfo.port }));
    udp.on('error', (e) => this.handlers.onError?.(`udp: ${e.message}`, { transport: 'udp', address: '', port: 0 }));
    tcp.on('connection', (s) => this.adopt(s));
  }

  /** Binds UDP and TCP on the same port; port 0 picks one that is free for both. */
  static async bind(host: string, port: number, handlers: SipSocketHandlers): Promise<SipSocket> {
    for (let attempt = 0; attempt < (port === 0 ? 20 : 1); attempt++) {
      const udp = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
      const udpPort = await new Promise<number | Error>((resolve) => {
        udp.once('error', resolve);
        udp.bind(port, host, () => resolve(udp.address().port));
      });
      if (udpPort instanceof Error) throw new TransportError(`cannot bind SIP UDP ${host}:${port}: ${udpPort.message}`, 'bind', { cause: udpPort });
      const tcp = net.createServer();
      const ok = await new Promise<Error | undefined>((resolve) => {
        tcp.once('error', resolve);
        tcp.listen(udpPort, host, () => resolve(undefined));
      });
      if (!ok) return new SipSocket(udp, tcp, handlers);
      udp.close();
      if (port !== 0) throw new TransportError(`cannot bind SIP TCP ${host}:${port}: ${ok.message}`, 'bind', { cause: ok });
    }
    throw new TransportError('no port free for both SIP UDP and TCP', 'bind', { retryable: true });
  }

  /** The bound port (UDP and TCP). */
  get port(): number {
    return this.udp.address().port;
  }

  /** Sends a message over a flow: UDP datagram, or the open TCP connection (opening one if needed). */
  async send(msg: SipMessage, to: SipFlow): Promise<void> {
    const bytes = serializeSipMessage(msg);
    if (to.transport === 'udp') {
      await new Promise<void>((resolve, reject) => this.udp.send(bytes, to.port, to.address, (e) => (e ? reject(new TransportError(`SIP send to ${to.address}:${to.port} failed`, 'send', { cause: e })) : resolve())));
      return;
    }
    let conn = this.connections.get(key(to.address, to.port));
    if (!conn || conn.destroyed) conn = await this.connect(to);
    const c = conn;
    await new Promise<void>((resolve, reject) => c.write(bytes, (e) => (e ? reject(new TransportError('SIP TCP write failed', 'send', { cause: e })) : resolve())));
  }

  /** Closes both sockets and every connection. */
  async close(): Promise<void> {
    for (const c of this.connections.values()) c.destroy();
    this.connections.clear();
    await Promise.all([new Promise<void>((r) => this.tcp.close(() => r())), new Promise<void>((r) => this.udp.close(() => r()))]);
  }

  private onDatagram(data: Buffer, from: SipFlow): void {
    // RFC 5626 keep-alives on UDP are STUN or bare CRLF: nothing to answer here
    if (data.length <= 4 && /^[\r\n]*$/.test(data.toString('latin1'))) return;
    const r = parseSipMessage(data);
    if (r.ok) this.dispatch(r.value, from);
    else this.handlers.onError?.(r.error, from);
  }

  private dispatch(msg: SipMessage, from: SipFlow): void {
    try {
      this.handlers.onMessage(msg, from);
    } catch (e) {
      this.handlers.onError?.(`handler failed: ${(e as Error).message}`, from);
    }
  }

  private connect(to: SipFlow): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: to.address, port: to.port });
      s.once('error', (e) => reject(new TransportError(`SIP TCP connect to ${to.address}:${to.port} failed`, 'send', { cause: e, retryable: true })));
      s.once('connect', () => {
        this.adopt(s);
        resolve(s);
      });
    });
  }

  private adopt(s: net.Socket): void {
    if (this.connections.size >= MAX_TCP_CONNECTIONS) {
      s.destroy();
      return;
    }
    const address = s.remoteAddress?.replace(/^::ffff:/, '') ?? '';
    const port = s.remotePort ?? 0;
    const k = key(address, port);
    const from: SipFlow = { transport: 'tcp', address, port };
    this.connections.set(k, s);
    const framer = new SipStreamFramer();
    s.setTimeout(TCP_IDLE_MS, () => s.destroy());
    s.on('error', () => {});
    s.on('close', () => {
      if (this.connections.get(k) === s) this.connections.delete(k);
    });
    s.on('data', (chunk) => {
      for (const item of framer.push(chunk)) {
        if (!item.ok) this.handlers.onError?.(item.error, from);
        else if (item.value === 'keepalive-ping') s.write(CRLF_KEEPALIVE_PONG);
        else this.dispatch(item.value, from);
      }
      if (framer.isFailed) s.destroy(); // an unframeable stream cannot be resynchronised
    });
  }
}
