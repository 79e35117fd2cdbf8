/** First retry waits about this long; each further retry doubles it (exponential backoff). */
export const INITIAL_RETRY_DELAY_MS = 500;
/** No computed backoff grows past this, so a client never stalls for long on its own. */
export const MAX_RETRY_DELAY_MS = 8_000;
/** A server's `Retry-After` above this is not waited for blindly; the computed backoff is used instead. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Delay before retry number `retriesSoFar + 1`: the server's `Retry-After` (seconds or an HTTP
 * date) or `Retry-After-Ms` when it sent a sane one, else exponential backoff with up to 25 %
 * jitter so that many clients do not retry in lockstep.
 */
export function retryDelayMs(retriesSoFar: number, headers?: Headers, nowMs = Date.now(), random = Math.random): number {
  const fromServer = retryAfterMs(headers, nowMs);
  if (fromServer !== undefined && fromServer >= 0 && fromServer <= MAX_RETRY_AFTER_MS) return fromServer;
  const base = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retriesSoFar, MAX_RETRY_DELAY_MS);
  return Math.round(base * (1 - 0.25 * random()));
}

/** Parses `Retry-After-Ms`, then `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date). */
export function retryAfterMs(headers: Headers | undefined, nowMs = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Number(ms);
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
