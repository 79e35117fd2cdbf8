/**
 * What the fake speech servers (Deepgram, ElevenLabs, OpenAI audio) share: a loopback HTTP server
 * on a free port with WebSocket upgrades, request bodies, generated audio, and a body writer that
 * can be slow or cut the connection mid-stream. Nothing here knows our provider interfaces.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** A running loopback server with a WebSocket endpoint; `close()` drops every connection. */
export interface LoopbackServer {
  readonly url: string;
  readonly wss: WebSocketServer;
  close(): Promise<void>;
}

/**
 * Starts `handle` for plain requests and `upgrade` for WebSocket handshakes on 127.0.0.1, port 0.
 * `upgrade` answers the handshake itself (`accept()` or a raw HTTP refusal with `refuse()`).
 */
export async function startLoopback(
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  upgrade: (req: http.IncomingMessage, accept: (onOpen: (ws: WebSocket) => void) => void, refuse: (status: number, body: string) => void) => void,
): Promise<LoopbackServer> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server = http.createServer(handle);
  const sockets = new Set<Duplex>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    upgrade(
      req,
      (onOpen) => wss.handleUpgrade(req, socket, head, (ws) => onOpen(ws)),
      (status, body) => {
        const reason = http.STATUS_CODES[status] ?? 'Error';
        socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    wss,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Reads a request body (bounded: fakes are fed by our own clients). */
export function readBody(req: http.IncomingMessage, limit = 50 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Waits `ms` (0: a macrotask, so the order of queued writes is kept). */
export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** How a fake streams an audio body. */
export interface BodyPacing {
  /** Bytes per chunk; odd by default so that clients must handle samples split across reads. */
  readonly chunkBytes?: number;
  /** Pause between chunks, ms (a slow stream). */
  readonly chunkDelayMs?: number;
  /** Destroy the connection after this many body bytes (a mid-stream disconnect). */
  readonly cutAfterBytes?: number;
}

/** Writes `body` in paced chunks; stops when the client goes away. */
export async function writePaced(res: http.ServerResponse, body: Uint8Array, pacing: BodyPacing = {}): Promise<void> {
  const size = pacing.chunkBytes ?? 999;
  let gone = false;
  res.on('close', () => (gone = true));
  for (let at = 0; at < body.length && !gone; at += size) {
    const end = Math.min(body.length, at + size);
    if (pacing.cutAfterBytes !== undefined && end > pacing.cutAfterBytes) {
      res.write(body.subarray(at, pacing.cutAfterBytes));
      // Let the bytes leave before the connection drops, as a proxy that dies mid-response does.
      await delay(10);
      res.socket?.destroy();
      return;
    }
    res.write(body.subarray(at, end));
    if (pacing.chunkDelayMs) await delay(pacing.chunkDelayMs);
  }
  if (!gone) res.end();
}

/** A sine tone as PCM16: the fakes' stand-in for speech (its length is what tests check). */
export function toneSamples(rateHz: number, ms: number, hz = 440, amplitude = 6000): Int16Array {
  const n = Math.round((rateHz * ms) / 1000);
  return Int16Array.from({ length: n }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rateHz)));
}

/** PCM16 samples as little-endian bytes. */
export function pcm16Bytes(samples: Int16Array): Buffer {
  const b = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(samples[i] as number, i * 2);
  return b;
}

/** Little-endian bytes as PCM16 samples (an odd trailing byte is dropped). */
export function pcm16Samples(bytes: Buffer): Int16Array {
  const out = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

/** Root mean square of PCM16 samples. */
export function rms(samples: Int16Array): number {
  let e = 0;
  for (const v of samples) e += v * v;
  return samples.length ? Math.sqrt(e / samples.length) : 0;
}

/** A 44-byte RIFF/WAVE header for mono PCM16 (`dataBytes` may be 0xFFFFFFFF for a stream of unknown length). */
export function wavHeader(rateHz: number, dataBytes: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(Math.min(0xffffffff, 36 + dataBytes), 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rateHz, 24);
  h.writeUInt32LE(rateHz * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(dataBytes, 40);
  return h;
}
