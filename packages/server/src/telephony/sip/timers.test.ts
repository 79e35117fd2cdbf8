import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.ts';
import { RFC3261_TIMERS, retransmit } from './timers.ts';

describe('retransmit', () => {
  it('follows T1 doubling capped at T2 and gives up at 64·T1 on UDP', async () => {
    const clock = new FakeClock(0);
    const sentAt: number[] = [];
    const done = retransmit(() => sentAt.push(clock.now()), { clock, timers: RFC3261_TIMERS, stop: new AbortController().signal, reliable: false });
    await clock.advance(40_000);
    expect(await done).toBe('timeout');
    expect(sentAt).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
  });

  it('stops at once when the ACK arrives, and sends only once on TCP', async () => {
    const clock = new FakeClock(0);
    const stop = new AbortController();
    let sent = 0;
    const done = retransmit(() => sent++, { clock, timers: RFC3261_TIMERS, stop: stop.signal, reliable: true });
    await clock.advance(10_000);
    stop.abort();
    expect(await done).toBe('stopped');
    expect(sent).toBe(1);
    expect(clock.pending).toBe(0);
  });
});
