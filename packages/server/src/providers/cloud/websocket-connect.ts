/**
 * Opens a WebSocket to a cloud provider (`ws`), turning a refused handshake into the
 * `ProviderError` its HTTP status means — a rejected key is `provider_auth` at once, never a hang —
 * and an abort during the handshake into a quiet `undefined`.
 */
import WebSocket from 'ws';
import { errorFromNetwork, errorFromStatus, timeoutError, type ProviderIdentity } from './provider-http-error.ts';

export interface ConnectOptions {
  readonly headers?: Record<string, string>;
  readonly signal: AbortSignal;
  /** Deadline for the opening handshake, ms. */
  readonly handshakeTimeoutMs: number;
  /** What the socket is for, for messages ("live transcription"). */
  readonly what: string;
}

/** The longest error body read from a refused handshake. */
const MAX_ERROR_BODY_BYTES = 4096;

/** Resolves with the open socket, or `undefined` when the signal aborted first (the socket is closed). */
export function connectWebSocket(who: ProviderIdentity, url: string, opts: ConnectOptions): Promise<WebSocket | undefined> {
  if (opts.signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: opts.headers, handshakeTimeout: opts.handshakeTimeoutMs, perMessageDeflate: false });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      opts.signal.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = (): void =>
      settle(() => {
        ws.terminate();
        resolve(undefined);
      });
    opts.signal.addEventListener('abort', onAbort, { once: true });
    // Errors after the handshake are the adapter's to report through 'close'; this keeps `ws` from throwing them.
    ws.on('error', (e) =>
      settle(() => reject(/handshake has timed out/i.test(e.message) ? timeoutError(who, `${opts.what} handshake`, opts.handshakeTimeoutMs) : errorFromNetwork(who, e, opts.what))),
    );
    ws.once('open', () => settle(() => resolve(ws)));
    ws.once('unexpected-response', (req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (): void =>
        settle(() => {
          req.destroy();
          ws.terminate();
          reject(errorFromStatus(who, res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), `${opts.what} handshake`));
        });
      res.on('data', (c: Buffer) => {
        if (size < MAX_ERROR_BODY_BYTES) chunks.push(c);
        size += c.length;
      });
      res.once('end', done);
      res.once('error', done);
      res.once('close', done);
    });
  });
}
