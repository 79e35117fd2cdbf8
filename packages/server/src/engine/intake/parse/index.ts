/** One entry point: the caller's words (or keypad keys) → a field's value. */
import type { IntakeField } from '../fields.ts';
import { parseChoice } from './choice.ts';
import { parseDate } from './date.ts';
import { dtmfDigits } from './dtmf.ts';
import { parseEmail } from './email.ts';
import { parseNumber } from './number.ts';
import { parsePhone } from './phone.ts';
import { parseName, parseText } from './text.ts';
import type { ParseContext, Parsed } from './types.ts';
import { parseYesNo } from './yes-no.ts';

export type { ParseContext, Parsed } from './types.ts';

/** Parses speech for a field. Null: the words hold no value of that kind. */
export function parseAnswer(field: IntakeField, text: string, ctx: ParseContext): Parsed | null {
  const p = parseOne(field, text, ctx);
  return p && field.list ? { ...p, value: Array.isArray(p.value) ? p.value : [p.value] } : p;
}

function parseOne(field: IntakeField, text: string, ctx: ParseContext): Parsed | null {
  switch (field.kind) {
    case 'phone':
      return parsePhone(text, ctx);
    case 'number':
      return parseNumber(text, false);
    case 'integer':
      return parseNumber(text, true);
    case 'date':
      return parseDate(text, ctx, false);
    case 'datetime':
      return parseDate(text, ctx, true);
    case 'boolean': {
      const b = parseYesNo(text);
      return b === null ? null : { value: b, spoken: b ? 'yes' : 'no' };
    }
    case 'enum':
      if (field.list) {
        const found = (field.values ?? []).filter((v) => parseChoice(text, [v])?.doubtful === false);
        return found.length ? { value: found, spoken: found.join(' and ') } : null;
      }
      return parseChoice(text, field.values ?? []);
    case 'email':
      return parseEmail(text);
    case 'name':
      return parseName(text);
    case 'string':
      return parseText(text);
  }
}

/**
 * Keypad keys for a field: digits are a number, a phone number, a yes (1) / no (2), or the n-th
 * enum value; a date cannot be keyed. Null: keys mean nothing for this field.
 */
export function parseKeys(field: IntakeField, keys: string, ctx: ParseContext): Parsed | null {
  const digits = dtmfDigits(keys);
  if (!digits) return null;
  switch (field.kind) {
    case 'phone':
      return parsePhone(digits, ctx);
    case 'number':
    case 'integer':
      return { value: Number(digits) };
    case 'boolean':
      return digits === '1' ? { value: true, spoken: 'yes' } : digits === '2' ? { value: false, spoken: 'no' } : null;
    case 'enum': {
      const c = parseChoice(digits, field.values ?? [], { dtmf: true });
      return c && field.list ? { ...c, value: [c.value] } : c;
    }
    case 'string':
      return { value: digits };
    default:
      return null;
  }
}
