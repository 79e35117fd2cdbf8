import type { Clock } from '../../core/clock.ts';

/**
 * A manual clock for telephony tests (STYLE rule 6): `advance(ms)` fires due sleeps in order.
 * The test kit re-exports it as its `FakeClock`.
 */
export class FakeClock implements Clock {
  private t: number;
  private sleepers: { at: number; resolve: () => void; seq: number }[] = [];
  private seq = 0;
  constructor(startMs = 1_000_000) {
    this.t = startMs;
  }
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const entry = { at: this.t + Math.max(0, ms), resolve: () => {}, seq: this.seq++ };
      const onAbort = (): void => {
        this.sleepers = this.sleepers.filter((s) => s !== entry);
        reject(signal?.reason);
      };
      entry.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(entry);
    });
  }
  /** Number of pending sleeps (for leak assertions). */
  get pending(): number {
    return this.sleepers.length;
  }
  /** Moves time forward, resolving each due sleep and letting its continuation run. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      const due = this.sleepers.filter((s) => s.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((s) => s !== due);
      this.t = Math.max(this.t, due.at);
      due.resolve();
      for (let i = 0; i < 5; i++) await Promise.resolve();
      await new Promise((r) => setImmediate(r));
    }
    this.t = target;
  }
}
