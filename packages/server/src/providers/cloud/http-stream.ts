/**
 * One HTTP request to a cloud provider with the deadlines a phone call needs: the response headers
 * within `timeoutMs`, then no pause longer than `idleTimeoutMs` between body chunks. A stalled
 * vendor becomes `provider_timeout` instead of a silent line; an abort ends everything quietly.
 */
import { errorFromNetwork, errorFromStatus, timeoutError, type ProviderIdentity } from './provider-http-error.ts';

export interface HttpStreamOptions {
  /** Aborting it cancels the request and ends the body quietly. */
  readonly signal: AbortSignal;
  /** Deadline for the status line and headers, ms. */
  readonly timeoutMs: number;
  /** Longest pause between two chunks of the body, ms (default `timeoutMs`). */
  readonly idleTimeoutMs?: number;
  /** What the request does, for messages ("speech synthesis"). */
  readonly what: string;
}

export interface StreamedResponse {
  readonly headers: Headers;
  /** The body's chunks; ends quietly when the signal aborts, throws `ProviderError` on a stall or a cut. */
  readonly body: AsyncGenerator<Uint8Array>;
}

/**
 * Sends the request; resolves once a 2xx status arrives (`undefined` when the signal aborted first).
 * A non-2xx answer throws the `ProviderError` its status means (401 → `provider_auth`, …).
 * Callers must abort `signal` if they abandon the body unread: that releases the connection.
 */
export async function requestStream(who: ProviderIdentity, url: string, init: RequestInit, opts: HttpStreamOptions): Promise<StreamedResponse | undefined> {
  const { signal } = opts;
  if (signal.aborted) return undefined;
  const ctl = new AbortController();
  let timedOutAfter = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOutAfter = ms;
      ctl.abort();
    }, ms);
  };
  const onAbort = (): void => ctl.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const cleanup = (): void => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  };
  arm(opts.timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: ctl.signal });
    if (!res.ok) {
      const detail = await res.text().catch(() => '');
      throw errorFromStatus(who, res.status, detail, opts.what);
    }
  } catch (e) {
    cleanup();
    if (signal.aborted) return undefined;
    if (timedOutAfter) throw timeoutError(who, opts.what, timedOutAfter);
    if (e instanceof Error && e.name === 'ProviderError') throw e;
    throw errorFromNetwork(who, e, opts.what);
  }
  clearTimeout(timer);
  const idleMs = opts.idleTimeoutMs ?? opts.timeoutMs;
  const stream = res.body;
  async function* body(): AsyncGenerator<Uint8Array> {
    if (!stream) return cleanup();
    const reader = stream.getReader();
    let done = false;
    try {
      for (;;) {
        arm(idleMs);
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await reader.read();
        } catch (e) {
          if (signal.aborted) return;
          if (timedOutAfter) throw timeoutError(who, `${opts.what} (body)`, timedOutAfter);
          throw errorFromNetwork(who, e, `${opts.what} (the response was cut off)`);
        } finally {
          clearTimeout(timer);
        }
        if (r.done) {
          done = true;
          return;
        }
        yield r.value;
      }
    } finally {
      cleanup();
      // A consumer that stopped early: cancel the rest of the body so the connection is freed.
      if (!done) ctl.abort();
    }
  }
  return { headers: res.headers, body: body() };
}
