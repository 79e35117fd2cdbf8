import { Agent, request } from 'undici';
import { isAbortError } from '../core/errors.ts';
import { guardedLookup, isPrivateAddress, PrivateAddressError } from './ssrf-guard.ts';

/** The outcome of one POST to a user-supplied URL. */
export interface SendResult {
  ok: boolean;
  status: number | null;
  durationMs: number;
  error: string | null;
  /** The first bytes of the answer (tools feed it to the model; deliveries keep an excerpt). */
  body: string;
  /** Set when the time limit ended the request. */
  timedOut?: true;
}

/** Per-request overrides of the sender's defaults (HTTP tools have their own method and `timeout_ms`). */
export interface SendOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  timeoutMs?: number;
  maxResponseBytes?: number;
}

export interface HttpSenderOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  /** Largest answer read; the rest is dropped (calls.md: a tool answer is at most 64 KiB). */
  maxResponseBytes: number;
  now: () => number;
}

/**
 * POSTs JSON to user-supplied URLs through one keep-alive pool, with the SSRF guard in the
 * connection's DNS lookup, no redirects followed (a 3xx is a failure), and a hard time limit.
 */
export class HttpSender {
  private readonly agent: Agent;

  constructor(private readonly o: HttpSenderOptions) {
    this.agent = new Agent({ connect: { timeout: o.timeoutMs, lookup: guardedLookup(o.allowPrivate) }, keepAliveTimeout: 4000, connections: 32 });
  }

  async post(url: string, body: string, headers: Record<string, string>, signal?: AbortSignal, opts: SendOptions = {}): Promise<SendResult> {
    const timeoutMs = opts.timeoutMs ?? this.o.timeoutMs;
    const started = this.o.now();
    const elapsed = (): number => this.o.now() - started;
    // A literal IP never reaches the lookup: check it here.
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    if (!this.o.allowPrivate && host !== '' && /^[\d.]+$|:/.test(host) && isPrivateAddress(host)) {
      return { ok: false, status: null, durationMs: 0, error: new PrivateAddressError(host, host).message, body: '' };
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const res = await request(url, {
        method: opts.method ?? 'POST', body, dispatcher: this.agent, headers: { 'content-type': 'application/json', ...headers },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout, headersTimeout: timeoutMs, bodyTimeout: timeoutMs,
      });
      const text = await readCapped(res.body, opts.maxResponseBytes ?? this.o.maxResponseBytes);
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      return { ok, status: res.statusCode, durationMs: elapsed(), error: ok ? null : `HTTP ${res.statusCode}`, body: text };
    } catch (e) {
      const err = e as Error & { code?: string; cause?: Error & { code?: string } };
      // undici's own header/body timers may fire a moment before the signal's.
      const timedOut = !signal?.aborted && (timeout.aborted || err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT');
      const message = timedOut || isAbortError(e) ? `timeout after ${timeoutMs} ms` : (err.cause?.message ?? err.message);
      return { ok: false, status: null, durationMs: elapsed(), error: message, body: '', ...(timedOut ? { timedOut: true as const } : {}) };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy?: () => void }, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= max) {
      body.destroy?.();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}
