import fc from 'fast-check';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseTimestamptz } from './timestamptz.ts';

const driver = pg.types.getTypeParser(1184, 'text') as (s: string) => Date;

describe('timestamptz parser', () => {
  it('agrees with the driver on every ISO form PostgreSQL writes', () => {
    for (const s of ['2026-11-27 17:25:00+00', '2026-11-27 17:25:00.123+00', '2026-11-27 17:25:00.123456+00', '2026-11-27 17:25:00+05:30', '1999-12-31 23:59:59.9-03', '2026-06-01 00:00:00-09:30']) {
      expect((parseTimestamptz(s, driver) as Date).getTime(), s).toBe(driver(s).getTime());
    }
  });

  it('hands other forms to the driver', () => {
    expect(parseTimestamptz('infinity', () => 'from driver')).toBe('from driver');
    expect(parseTimestamptz('0044-03-15 12:00:00+00 BC', () => 'from driver')).toBe('from driver');
  });

  it('matches the driver for any millisecond instant and whole-hour offset', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -12, max: 14 }), (d, h) => {
        const local = new Date(d.getTime() + h * 3600_000).toISOString().replace('T', ' ').replace('Z', '');
        const s = `${local}${h < 0 ? '-' : '+'}${String(Math.abs(h)).padStart(2, '0')}`;
        expect((parseTimestamptz(s, driver) as Date).getTime()).toBe(driver(s).getTime());
      }),
    );
  });
});
