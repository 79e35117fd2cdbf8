/**
 * One real-time timer for every RTP session of a user agent: each 20 ms tick sends one packet for
 * each live call. A timer per call costs a wake-up per call per tick; with hundreds of calls those
 * wake-ups, not the work, made playout fall behind real time. The timer runs only while some
 * session is registered, so an idle server keeps no timer alive.
 */
import { performance } from 'node:perf_hooks';
import type { Pacer, PacerFactory } from './pacer.ts';

/** More missed ticks than this are skipped, not sent in a burst (as in `realTimePacer`). */
const MAX_CATCH_UP_TICKS = 5;

/** Creates a pacer factory whose pacers share one drift-free schedule of `intervalMs`. */
export function createPacerGroup(intervalMs = 20): PacerFactory {
  const ticks = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;
  let start = 0;
  let n = 0;
  const loop = (): void => {
    timer = undefined;
    if (ticks.size === 0) return;
    const now = performance.now();
    let due = Math.floor((now - start) / intervalMs) - n + 1;
    if (due > MAX_CATCH_UP_TICKS) {
      start = now - n * intervalMs;
      due = 1;
    }
    for (let i = 0; i < due; i++) {
      n++;
      for (const t of [...ticks]) {
        try {
          t();
        } catch {
          // one session's failure must not stop the others' audio
        }
      }
    }
    if (ticks.size > 0) timer = setTimeout(loop, Math.max(0, start + n * intervalMs - performance.now()));
  };
  return (tick, ms): Pacer => {
    if (ms !== intervalMs) throw new RangeError(`this pacer group ticks every ${intervalMs} ms, not ${ms}`);
    ticks.add(tick);
    if (!timer) {
      start = performance.now();
      n = 0;
      timer = setTimeout(loop, 0);
    }
    return {
      stop: () => {
        ticks.delete(tick);
        if (ticks.size === 0 && timer) {
          clearTimeout(timer);
          timer = undefined;
        }
      },
    };
  };
}
