import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * Normalises a phone number typed in any common form (`(415) 555-0123`, `+1 415 555 0123`,
 * `14155550123`) to E.164, or returns null when it cannot be a phone number.
 * `isPossible` rather than `isValid`: the sandbox's fictional 555-01xx numbers must pass.
 */
export function normalizeE164(input: string, defaultCountry: CountryCode = 'US'): string | null {
  if (typeof input !== 'string' || input.length > 40 || !/^[+\d\s().\-/]+$/.test(input)) return null;
  const parsed = parsePhoneNumberFromString(input, defaultCountry);
  if (!parsed || !parsed.isPossible()) return null;
  return parsed.number;
}

/** The ISO country of an E.164 number, or the calling code's default region. */
export function countryOf(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed?.country ?? (parsed?.countryCallingCode === '1' ? 'US' : 'XX');
}
