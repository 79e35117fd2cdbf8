import { describe, expect, it } from 'vitest';
import { figures, parseDate } from './date.ts';

// Friday 27 November 2026, 19:00 in Los Angeles (03:00 UTC on the 28th): the agent's "today" is
// the 27th even though it is already the 28th in UTC.
const ctx = { now: Date.parse('2026-11-28T03:00:00Z'), timezone: 'America/Los_Angeles', defaultCountry: 'US' as const };

describe('figures', () => {
  it.each([
    ['next tuesday at three thirty', 'next tuesday at 3:30'],
    ['november the fifth', 'november 5th'],
    ['the twenty first of december at ten a m', '21st of december at 10 am'],
    ['half past four tomorrow', '4:30 tomorrow'],
  ])('%s → %s', (said, out) => expect(figures(said)).toBe(out));
});

describe('parseDate (chrono-node in the agent time zone)', () => {
  it('reads relative dates against the agent’s own today', () => {
    expect(parseDate('today', ctx, false)?.value).toBe('2026-11-27');
    expect(parseDate('tomorrow please', ctx, false)?.value).toBe('2026-11-28');
    expect(parseDate('next tuesday', ctx, false)?.value).toBe('2026-12-01');
  });

  it('gives a date-time with the zone’s offset, "at three" meaning the afternoon', () => {
    expect(parseDate('next tuesday at three thirty', ctx, true)).toEqual({ value: '2026-12-01T15:30:00-08:00', spoken: 'Tuesday, December 1 at 3:30 PM' });
    expect(parseDate('the twenty first of december at ten a m', ctx, true)?.value).toBe('2026-12-21T10:00:00-08:00');
  });

  it('uses the summer offset for a summer date', () => expect(parseDate('july fourth at noon', ctx, true)?.value).toBe('2027-07-04T12:00:00-07:00'));

  it('flags a date-time without a time as doubtful and returns null without a date', () => {
    expect(parseDate('tomorrow', ctx, true)?.doubtful).toBe(true);
    expect(parseDate('whenever suits you', ctx, false)).toBeNull();
  });
});
