/**
 * The real-time edge of the send path: calls `tick` once per packet interval on a drift-free
 * schedule (deadlines computed from the start, not from the previous timer), so 50 packets leave
 * per second however late each timer fires. After a long stall (event loop blocked) it sends at
 * most `MAX_CATCH_UP_TICKS` back-to-back and then re-anchors, instead of bursting seconds of audio.
 */
import { performance } from 'node:perf_hooks';

/** A running pacer. */
export interface Pacer {
  stop(): void;
}

/** Creates pacers; injected so a test can drive ticks by hand. */
export type PacerFactory = (tick: () => void, intervalMs: number) => Pacer;

/** More than this many missed ticks are skipped, not sent in a burst (the far end's jitter buffer would drop them). */
const MAX_CATCH_UP_TICKS = 5;

/** A pacer on `setTimeout` and the monotonic clock. */
export const realTimePacer: PacerFactory = (tick, intervalMs) => {
  let start = performance.now();
  let n = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const loop = (): void => {
    if (stopped) return;
    const now = performance.now();
    let due = Math.floor((now - start) / intervalMs) - n + 1;
    if (due > MAX_CATCH_UP_TICKS) {
      start = now - n * intervalMs;
      due = 1;
    }
    for (let i = 0; i < due && !stopped; i++) {
      n++;
      tick();
    }
    if (!stopped) timer = setTimeout(loop, Math.max(0, start + n * intervalMs - performance.now()));
  };
  timer = setTimeout(loop, 0);
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
};
