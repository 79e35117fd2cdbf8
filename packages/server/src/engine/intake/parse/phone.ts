/** Phone numbers → E.164 with libphonenumber-js, from words, figures or keypad digits. */
import { getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ParseContext, Parsed } from './types.ts';
import { spokenDigits } from './spoken-digits.ts';

/**
 * A valid number is certain; a number that is only *possible* for its country (right length,
 * unknown range) is doubtful and confirmed; fewer digits than a number has is no answer.
 */
export function parsePhone(text: string, ctx: ParseContext): Parsed<string> | null {
  const digits = spokenDigits(text);
  if (digits.replace('+', '').length < 7) return null;
  const n = parsePhoneNumberFromString(digits, ctx.defaultCountry);
  if (!n || !n.isPossible()) return null;
  return { value: n.number, doubtful: !n.isValid(), spoken: speakDigits(n.nationalNumber, n.countryCallingCode !== getCountryCallingCode(ctx.defaultCountry) ? n.countryCallingCode : undefined) };
}

/** "415 555 0134": digits in the groups people say them, so TTS reads them one by one. */
export function speakDigits(national: string, countryCode?: string): string {
  const groups = national.length === 10 ? [national.slice(0, 3), national.slice(3, 6), national.slice(6)] : (national.match(/.{1,3}/g) ?? []);
  const said = groups.map((g) => g.split('').join(' ')).join(', ');
  return countryCode ? `plus ${countryCode.split('').join(' ')}, ${said}` : said;
}

