/** E-mail addresses said aloud: "ada dot lovelace at gmail dot com", spelled letters, digits. */
import type { Parsed } from './types.ts';

const DIGITS: Readonly<Record<string, string>> = { zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9' };
const SYMBOLS: Readonly<Record<string, string>> = { at: '@', dot: '.', period: '.', point: '.', underscore: '_', dash: '-', hyphen: '-', minus: '-', plus: '+' };
const LEAD = /^(?:(?:um+|uh+|sure|yes|yeah|ok|okay)[\s,]+)*(?:(?:it's|it is|my email(?: address)? is|my e mail(?: address)? is|email me at|the address is|you can email me at)\s+)?/i;
/** `user@host.tld` with a letter-only top-level domain. */
const EMAIL = /^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/;

export function parseEmail(text: string): Parsed<string> | null {
  const words = text.toLowerCase().replace(LEAD, '').replace(/[,!?]/g, ' ').split(/\s+/).filter(Boolean);
  let out = '';
  for (const w of words) {
    if (w.includes('@')) out += w;
    else if (SYMBOLS[w] !== undefined) out += SYMBOLS[w];
    else if (DIGITS[w] !== undefined) out += DIGITS[w];
    else out += w.replace(/[^a-z0-9._%+-]/g, '');
  }
  out = out.replace(/\.+$/, '');
  if (!EMAIL.test(out)) return null;
  return { value: out, spoken: out.replace(/@/g, ' at ').replace(/\./g, ' dot ') };
}
