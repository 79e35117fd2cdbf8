import type { Clock } from './core/clock.ts';
import type { Logger } from './core/logger.ts';
import type { CallLifecycle } from './calls/call-lifecycle.ts';
import { heartbeat, recoverLostCalls } from './calls/recovery.ts';
import type { Store } from './store/store.ts';
import type { DeliveryWorker } from './webhooks/delivery-worker.ts';

// Heartbeat well inside the 30 s after which calls count as lost (calls.md → Crash recovery).
const HEARTBEAT_MS = 10_000;

/**
 * The platform's background work: webhook delivery, heartbeats for this process's live calls, and
 * recovery of calls whose owner died (at start, then with every heartbeat).
 */
export function startBackgroundWork(d: { store: Store; clock: Clock; log: Logger; lifecycle: CallLifecycle; live: Set<string>; deliveries: DeliveryWorker }): { close(): Promise<void> } {
  d.deliveries.start();
  const beat = async (): Promise<void> => {
    try {
      await heartbeat(d.store, d.clock, d.live);
      const lost = await recoverLostCalls(d.store, d.lifecycle, d.clock);
      if (lost.length) d.log.warn({ calls: lost }, 'closed calls of a worker that stopped (worker_lost)');
    } catch (e) {
      d.log.warn({ err: e }, 'heartbeat/recovery failed');
    }
  };
  let running = beat();
  // Real time at the edge, as the RTP pacer: this is the process's own liveness.
  const timer = setInterval(() => {
    running = running.then(beat);
  }, HEARTBEAT_MS);
  return {
    close: async () => {
      clearInterval(timer);
      await running;
      await d.deliveries.close();
    },
  };
}
