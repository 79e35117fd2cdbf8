import { describe, expect, it } from 'vitest';
import { DISABLE_AFTER_EXHAUSTED, foldEndpointCounter, outcomeOf, type AttemptResult } from './delivery-record.ts';

const SCHEDULE = [60, 300, 1800, 7200, 18_000, 36_000, 86_400];
const attempt = (attemptCount: number, ok: boolean): AttemptResult => ({
  d: { id: 'wd_1', org_id: 'org_1', endpoint_id: null, call_id: null, event_type: 'call.completed', attempt_count: attemptCount, delivered_at: null },
  r: { ok, status: ok ? 200 : 500, durationMs: 3, error: ok ? null : 'HTTP 500', body: '' },
  atMs: 1_000_000,
});

describe('outcomeOf (webhooks.md → Retries)', () => {
  it('delivers on a 2xx, whatever the attempt', () => {
    expect(outcomeOf(attempt(0, true), SCHEDULE, () => 0.5)).toEqual({ attemptNo: 1, status: 'delivered', exhausted: false, nextAttemptAt: null });
    expect(outcomeOf(attempt(7, true), SCHEDULE, () => 0.5).status).toBe('delivered');
  });

  it.each([
    [0, 60],
    [1, 300],
    [6, 86_400],
  ])('after failed attempt %i + 1 waits schedule[n] seconds ± 20 %%', (count, delayS) => {
    const at = (r: number): number => outcomeOf(attempt(count, false), SCHEDULE, () => r).nextAttemptAt!.getTime() - 1_000_000;
    expect(at(0.5)).toBe(delayS * 1000);
    expect(at(0)).toBe(delayS * 800);
    expect(at(1)).toBe(delayS * 1200);
  });

  it('exhausts on the 8th failure', () => {
    expect(outcomeOf(attempt(6, false), SCHEDULE, () => 0.5)).toMatchObject({ attemptNo: 7, status: 'pending', exhausted: false });
    expect(outcomeOf(attempt(7, false), SCHEDULE, () => 0.5)).toEqual({ attemptNo: 8, status: 'exhausted', exhausted: true, nextAttemptAt: null });
  });
});

describe('foldEndpointCounter (webhooks.md: disabled after 10 exhausted in a row, any 2xx resets)', () => {
  it('adds exhausted deliveries and zeroes on a 2xx, in order', () => {
    expect(foldEndpointCounter(3, ['exhausted', 'exhausted'])).toEqual({ counter: 5, reached: false });
    expect(foldEndpointCounter(3, ['exhausted', 'ok', 'exhausted'])).toEqual({ counter: 1, reached: false });
    expect(foldEndpointCounter(4, ['ok'])).toEqual({ counter: 0, reached: false });
  });

  it('reports the threshold reached within a batch even when a later 2xx of the same batch resets the counter', () => {
    expect(foldEndpointCounter(DISABLE_AFTER_EXHAUSTED - 1, ['exhausted'])).toEqual({ counter: DISABLE_AFTER_EXHAUSTED, reached: true });
    expect(foldEndpointCounter(DISABLE_AFTER_EXHAUSTED - 1, ['exhausted', 'ok'])).toEqual({ counter: 0, reached: true });
    expect(foldEndpointCounter(0, Array<'exhausted'>(DISABLE_AFTER_EXHAUSTED).fill('exhausted')).reached).toBe(true);
  });
});
