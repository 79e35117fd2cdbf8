import type { Clock } from './core/clock.ts';
import type { Logger } from './core/logger.ts';
import type { CallLifecycle } from './calls/call-lifecycle.ts';
import { heartbeat, recoverLostCalls, resumePendingResults, WORKER_LOST_AFTER_MS } from './calls/recovery.ts';
import type { Store } from './store/store.ts';
import type { DeliveryWorker } from './webhooks/delivery-worker.ts';

// Heartbeat well inside the 30 s after which calls count as lost (calls.md → Crash recovery):
// three beats per timeout, so one late beat never makes a live call look lost.
const HEARTBEATS_PER_TIMEOUT = 3;

/**
 * The platform's background work: webhook delivery, heartbeats for this process's live calls and
 * extractions, and recovery of calls (and results) whose owner died (at start, then periodically).
 */
export function startBackgroundWork(d: { store: Store; clock: Clock; log: Logger; lifecycle: CallLifecycle; live: Set<string>; deliveries: DeliveryWorker; workerTimeoutMs?: number }): { close(): Promise<void> } {
  const lostAfterMs = d.workerTimeoutMs ?? WORKER_LOST_AFTER_MS;
  const heartbeatMs = Math.floor(lostAfterMs / HEARTBEATS_PER_TIMEOUT);
  d.deliveries.start();
  const beat = async (): Promise<void> => {
    try {
      // Extractions in flight count as live: their owner is alive and will finish them.
      await heartbeat(d.store, d.clock, [...d.live, ...d.lifecycle.results.inFlight()]);
    } catch (e) {
      d.log.warn({ err: e }, 'heartbeat failed');
    }
  };
  const recover = async (): Promise<void> => {
    try {
      const lost = await recoverLostCalls(d.store, d.lifecycle, d.clock, lostAfterMs);
      if (lost.length) d.log.warn({ calls: lost }, 'closed calls of a worker that stopped (worker_lost)');
      const resumed = await resumePendingResults(d.store, d.lifecycle, d.clock, lostAfterMs);
      if (resumed.length) d.log.warn({ calls: resumed }, 'finished the results of calls whose worker stopped during extraction');
    } catch (e) {
      d.log.warn({ err: e }, 'recovery failed');
    }
  };
  // Recovery extracts results (model calls, seconds each): it runs beside the heartbeats, never in
  // front of them, so this process's own calls never look lost while it recovers another's.
  let recovering: Promise<void> | null = null;
  const runRecovery = (): void => {
    recovering ??= recover().finally(() => {
      recovering = null;
    });
  };
  let beating = beat().then(runRecovery);
  // Real time at the edge, as the RTP pacer: this is the process's own liveness.
  const timer = setInterval(() => {
    beating = beating.then(beat);
    runRecovery();
  }, heartbeatMs);
  return {
    close: async () => {
      clearInterval(timer);
      await beating;
      await recovering;
      await d.deliveries.close();
    },
  };
}
