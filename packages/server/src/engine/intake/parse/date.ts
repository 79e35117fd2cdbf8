/**
 * Dates and times with chrono-node, in the agent's time zone: `date` → `YYYY-MM-DD`, `datetime` →
 * ISO 8601 with the zone's offset. Spoken forms are turned into figures first, because chrono
 * reads "3:30" and "5th" but not "three thirty" or "the fifth".
 */
import * as chrono from 'chrono-node';
import nlp from 'compromise';
import type { ParseContext, Parsed } from './types.ts';

const HOURS = ['twelve', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven'];
const ORDINAL_UNITS = ['', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth'];
const ORDINAL_TEENS = ['tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth'];
const SUFFIX = (n: number): string => (n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th');
const MINUTES: Readonly<Record<string, string>> = { "o'clock": '00', oclock: '00', 'oh five': '05', five: '05', ten: '10', fifteen: '15', twenty: '20', 'twenty five': '25', thirty: '30', 'thirty five': '35', forty: '40', 'forty five': '45', fifty: '50', 'fifty five': '55' };

/** Spoken dates and times in figures: "next tuesday at three thirty p m" → "next tuesday at 3:30 pm". */
export function figures(text: string): string {
  let t = ` ${text.toLowerCase().replace(/[,.!?]/g, ' ').replace(/\s+/g, ' ')} `;
  t = t.replace(/\b([ap])\s?\.?\s?m\b\.?/g, '$1m');
  const hour = HOURS.map((h, i) => [h, i === 0 ? 12 : i] as const);
  for (const [word, h] of hour) {
    t = t.replace(new RegExp(`\\bhalf past ${word}\\b`, 'g'), `${h}:30`).replace(new RegExp(`\\bquarter past ${word}\\b`, 'g'), `${h}:15`);
    t = t.replace(new RegExp(`\\bquarter to ${word}\\b`, 'g'), `${h === 1 ? 12 : h - 1}:45`);
    for (const [m, mm] of Object.entries(MINUTES).sort((a, b) => b[0].length - a[0].length)) {
      t = t.replace(new RegExp(`\\b(at |by |around |from )${word} ${m}\\b`, 'g'), `$1${h}:${mm}`);
      t = t.replace(new RegExp(`\\b${word} ${m}(?= ?(am|pm|in the|tomorrow|today|on|next|this)\\b)`, 'g'), `${h}:${mm}`);
    }
  }
  for (let n = 31; n >= 1; n--) {
    const word = n < 10 ? ORDINAL_UNITS[n] : n < 20 ? ORDINAL_TEENS[n - 10] : n % 10 === 0 ? (n === 20 ? 'twentieth' : 'thirtieth') : `${n < 30 ? 'twenty' : 'thirty'} ${ORDINAL_UNITS[n % 10]}`;
    t = t.replace(new RegExp(`\\b(the )?${word}\\b`, 'g'), `${n}${SUFFIX(n)}`);
  }
  const doc = nlp(t.trim());
  doc.numbers().toNumber();
  return doc.text().replace(/\s+/g, ' ').trim();
}

/** A date (`YYYY-MM-DD`) or, with `withTime`, an ISO date-time with offset; null when no date was said. */
export function parseDate(text: string, ctx: ParseContext, withTime: boolean): Parsed<string> | null {
  const local = wallClock(ctx.now, ctx.timezone);
  // chrono's reference is the wall-clock time in the agent's zone, written as UTC: its
  // components are then local ("today" is the agent's today, not the server's).
  const ref = new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
  const said = figures(text);
  const [r] = chrono.parse(said, { instant: ref, timezone: 0 }, { forwardDate: true });
  if (!r) return null;
  const s = r.start;
  const y = s.get('year') as number;
  const mo = s.get('month') as number;
  const d = s.get('day') as number;
  const date = `${y}-${pad(mo)}-${pad(d)}`;
  const dayWords = new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, mo - 1, d)));
  if (!withTime) return { value: date, spoken: dayWords, doubtful: !s.isCertain('day') && !s.isCertain('weekday') && !/\b(today|tomorrow|tonight)\b/.test(said) };
  if (!s.isCertain('hour')) return { value: `${date}T${pad(s.get('hour') as number)}:${pad(s.get('minute') as number)}:00${offsetOf(ctx.timezone, y, mo, d, s.get('hour') as number, s.get('minute') as number)}`, spoken: dayWords, doubtful: true };
  let h = s.get('hour') as number;
  // "at three" for an appointment means the afternoon: business hours, not 3 a.m.
  if (!s.isCertain('meridiem') && h >= 1 && h <= 7) h += 12;
  const mi = s.get('minute') as number;
  const clock = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, 0, 1, h, mi)));
  return { value: `${date}T${pad(h)}:${pad(mi)}:00${offsetOf(ctx.timezone, y, mo, d, h, mi)}`, spoken: `${dayWords} at ${clock}` };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(ms: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(ms));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** `+HH:MM` of a zone at a local wall-clock time (iterated once for a DST boundary). */
function offsetOf(timeZone: string, y: number, mo: number, d: number, h: number, mi: number): string {
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const off = (at: number): number => {
    const w = wallClock(at, timeZone);
    return (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(at / 60_000) * 60_000) / 60_000;
  };
  let minutes = off(wall);
  minutes = off(wall - minutes * 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}
