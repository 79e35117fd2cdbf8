import { describe, expect, it } from 'vitest';
import { createPacerGroup } from './pacer-group.ts';
import { realTimePacer } from './pacer.ts';

describe('pacers', () => {
  it('a pacer group ticks every member once per interval on one schedule, and stops when empty', async () => {
    const group = createPacerGroup(20);
    const counts = [0, 0];
    const a = group(() => counts[0]!++, 20);
    const b = group(() => counts[1]!++, 20);
    await new Promise((r) => setTimeout(r, 210));
    a.stop();
    const frozen = counts[0];
    await new Promise((r) => setTimeout(r, 60));
    b.stop();
    expect(counts[0]).toBe(frozen);
    // ~11 ticks in 210 ms (one at start); allow for a slow machine but not for a burst
    expect(counts[0]).toBeGreaterThanOrEqual(8);
    expect(counts[0]).toBeLessThanOrEqual(13);
    expect(counts[1]).toBeGreaterThan(counts[0]!);
    expect(() => group(() => {}, 30)).toThrow(RangeError);
  });

  it('the single pacer keeps 50 ticks per second', async () => {
    let n = 0;
    const p = realTimePacer(() => n++, 20);
    await new Promise((r) => setTimeout(r, 210));
    p.stop();
    expect(n).toBeGreaterThanOrEqual(8);
    expect(n).toBeLessThanOrEqual(13);
  });
});
