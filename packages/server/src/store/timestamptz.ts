import pg from 'pg';

// PostgreSQL's ISO text form of a timestamptz: `2026-11-27 17:25:00.123456+00` (offset `+HH`,
// `+HH:MM` or `+HH:MM:SS`). Years beyond 9999, BC dates and infinities take the driver's parser.
const ISO_TIMESTAMPTZ = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d)?$/;

/**
 * Parses a timestamptz through `Date`'s built-in ISO 8601 parser. The driver's default
 * (postgres-date) is a regex-and-arithmetic parser that measured as the largest single cost of
 * decoding a 50-row calls page (bench/results); this is the same value, faster.
 */
export function parseTimestamptz(text: string, fallback: (s: string) => unknown): unknown {
  if (!ISO_TIMESTAMPTZ.test(text)) return fallback(text);
  return new Date(text.replace(' ', 'T') + (/[+-]\d\d$/.test(text) ? ':00' : ''));
}

let installed = false;

/** Installs the parser for the `pg` driver (both engines talk through it). Idempotent. */
export function installTimestamptzParser(): void {
  if (installed) return;
  installed = true;
  const TIMESTAMPTZ_OID = 1184;
  const fallback = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (s: string) => unknown;
  pg.types.setTypeParser(TIMESTAMPTZ_OID, (s: string) => parseTimestamptz(s, fallback));
}
