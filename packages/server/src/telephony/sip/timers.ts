/**
 * RFC 3261 §17 timers and the one retransmission loop they drive, on the injected `Clock`
 * (STYLE rule 6) so tests run in milliseconds with a fake clock.
 */
import type { Clock } from '../../core/clock.ts';

/** T1 (RTT estimate) and T2 (max retransmit interval for non-INVITE and 2xx). */
export interface SipTimers {
  readonly t1Ms: number;
  readonly t2Ms: number;
}

/** RFC 3261 §17.1.1.1 defaults: T1 = 500 ms, T2 = 4 s. */
export const RFC3261_TIMERS: SipTimers = { t1Ms: 500, t2Ms: 4000 };

/** Timer B/F/H/J: a transaction gives up after 64·T1 (32 s by default). */
export const transactionTimeoutMs = (t: SipTimers): number => 64 * t.t1Ms;

/**
 * Sends once, then — on unreliable transports — again after T1, 2·T1, 4·T1 … capped at T2
 * (Timer E/G and §13.3.1.4 for 2xx), until `stop` aborts (the ACK or response came) or 64·T1
 * passed. Resolves `'stopped'` or `'timeout'`; never rejects.
 */
export async function retransmit(
  send: () => void,
  opts: { clock: Clock; timers: SipTimers; stop: AbortSignal; reliable: boolean },
): Promise<'stopped' | 'timeout'> {
  if (opts.stop.aborted) return 'stopped';
  send();
  const deadline = opts.clock.now() + transactionTimeoutMs(opts.timers);
  let interval = opts.timers.t1Ms;
  try {
    for (;;) {
      const wait = opts.reliable ? deadline - opts.clock.now() : Math.min(interval, deadline - opts.clock.now());
      if (wait <= 0) return 'timeout';
      await opts.clock.sleep(wait, opts.stop);
      if (opts.clock.now() >= deadline) return 'timeout';
      if (!opts.reliable) send();
      interval = Math.min(interval * 2, opts.timers.t2Ms);
    }
  } catch {
    return 'stopped';
  }
}
