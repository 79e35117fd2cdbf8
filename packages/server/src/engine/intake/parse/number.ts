/** Numbers from words ("twenty five", "four hundred and ten", "one point five") with compromise. */
import nlp from 'compromise';
import type { Parsed } from './types.ts';
import { spokenDigits } from './spoken-digits.ts';

const SINGLE_DIGIT = /^(zero|oh|one|two|three|four|five|six|seven|eight|nine|\d)$/;

/**
 * The number the caller said. Digits said one by one ("four one five") are one number (415);
 * two different numbers in one answer ("three or four") are doubtful and the first is taken.
 */
export function parseNumber(text: string, integer: boolean): Parsed<number> | null {
  const clean = text.toLowerCase();
  const words = clean.split(/\s+/).filter(Boolean);
  const numbers = numbersIn(clean);
  if (numbers.length === 0) return null;
  // Several single digits in a row are a digit string, as people read out an amount or a code.
  const digitWords = words.filter((w) => SINGLE_DIGIT.test(w) || w === 'double' || w === 'triple');
  let value: number;
  let doubtful = false;
  if (numbers.length > 1 && !/\b(or|to|and|from)\b/.test(clean) && digitWords.length >= numbers.length && numbers.every((n) => Number.isInteger(n) && n >= 0 && n < 10)) {
    value = Number(spokenDigits(clean));
  } else {
    value = numbers[0] as number;
    doubtful = numbers.length > 1;
  }
  if (!Number.isFinite(value)) return null;
  if (integer && !Number.isInteger(value)) return { value: Math.round(value), doubtful: true };
  return doubtful ? { value, doubtful } : { value };
}

/** Every number compromise finds, in order. */
export function numbersIn(text: string): number[] {
  const got: unknown = nlp(text).numbers().get();
  return Array.isArray(got) ? got.filter((n): n is number => typeof n === 'number' && Number.isFinite(n)) : [];
}
