/** What the parsers share. */
import type { CountryCode } from 'libphonenumber-js';

/** A value read from the caller's words. */
export interface Parsed<T = unknown> {
  readonly value: T;
  /** The words were read, but a guess was involved (a number that is possible but not valid, a partial match): confirm explicitly. */
  readonly doubtful?: boolean;
  /** How to say the value back ("415 555 0134"); default `String(value)`. */
  readonly spoken?: string;
}

export interface ParseContext {
  /** Now, in ms since the epoch (from the call's `Clock`): "next week" is relative to it. */
  readonly now: number;
  /** The agent's IANA time zone. */
  readonly timezone: string;
  /** Country for numbers said without a country code. */
  readonly defaultCountry: CountryCode;
}
