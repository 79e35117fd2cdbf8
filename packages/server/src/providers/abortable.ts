/**
 * Reads an async iterable until it ends or the signal aborts, whichever comes first, so that a
 * stage blocked on its input (a quiet caller) still stops at once when its turn is cancelled.
 * Aborting ends the loop quietly (STYLE rule 2) and asks the source to stop (`return()`).
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  if (signal.aborted) return;
  const it = source[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  let finished = false;
  try {
    for (;;) {
      const r = await Promise.race([it.next(), aborted]);
      if (r === 'aborted') return;
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
      if (signal.aborted) return;
    }
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    // A source still waiting on its own input settles later; its rejection is not ours to report.
    if (!finished) it.return?.().catch(() => undefined);
  }
}
