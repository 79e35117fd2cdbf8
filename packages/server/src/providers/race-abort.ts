/** What `raceAbort` resolves with when the signal aborted first. */
export const ABORTED: unique symbol = Symbol('aborted');

/**
 * Awaits `p` unless the signal aborts first (then `ABORTED`), leaving no listener behind. A
 * rejection of `p` after the abort is swallowed: the caller has stopped listening (STYLE rule 2).
 */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.resolve(ABORTED);
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) resolve(ABORTED);
        else reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
