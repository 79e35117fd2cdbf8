import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake server received. */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What a handler answers: a response, a dropped connection, or no answer at all. */
export type FakeReply =
  | { status: number; headers?: Record<string, string>; json?: unknown; text?: string }
  | 'reset'
  | 'hang';

/** Handles one request; `n` counts requests from 0. */
export type FakeHandler = (req: RecordedRequest, n: number, res: ServerResponse) => FakeReply | Promise<FakeReply> | 'manual';

/** A node:http server on loopback that records requests and answers through a handler. */
export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a fake server; close it in afterEach/finally. */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://fake'),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const n = requests.length;
      requests.push(recorded);
      void Promise.resolve(handler(recorded, n, res)).then((reply) => {
        if (reply === 'manual' || reply === 'hang') return;
        if (reply === 'reset') {
          req.socket.destroy();
          return;
        }
        const headers: Record<string, string> = { ...reply.headers };
        let payload = reply.text ?? '';
        if (reply.json !== undefined) {
          payload = JSON.stringify(reply.json);
          headers['content-type'] ??= 'application/json';
        }
        res.writeHead(reply.status, headers);
        res.end(payload);
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An error body as the server sends it. */
export function errorReply(status: number, code: string, error: string, param?: string, headers?: Record<string, string>): FakeReply {
  return { status, json: param === undefined ? { error, code } : { error, code, param }, headers: headers ?? {} };
}
