/**
 * End-of-turn timing from transcript cues (`calls.md` → Turn taking): after the caller stops,
 * wait `min_endpointing_ms` when what they said sounds finished, up to `max_endpointing_ms` when
 * it trails off ("…and", "um") or a number is half spoken ("four one five five"). Pure.
 */

/** Words after which a speaker nearly always goes on. */
const CONTINUATION_WORDS = new Set([
  'and', 'or', 'but', 'so', 'because', 'if', 'then', 'the', 'a', 'an', 'my', 'to', 'of', 'with', 'for', 'at', 'is', 'um', 'uh', 'er', 'erm', 'hmm', 'like', 'that', 'which', 'when', 'where', 'your', 'our', 'their',
]);

const DIGIT_WORDS = new Set(['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'double', 'triple']);

/** A North American number has 10 digits; fewer trailing digits than this sound like a number still being said. */
const FULL_NUMBER_DIGITS = 10;

export interface EndpointingSettings {
  readonly minEndpointingMs: number;
  readonly maxEndpointingMs: number;
}

/** How many digits the text ends with (spoken or written, "double five" counts two). */
export function trailingDigitCount(text: string): number {
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  let n = 0;
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i] as string;
    if (/^\d+$/.test(w)) n += w.length;
    else if (w === 'double') n += 1; // "double five": the five counted once already
    else if (w === 'triple') n += 2;
    else if (DIGIT_WORDS.has(w)) n += 1;
    else break;
  }
  return n;
}

/** The silence after the caller's last word that ends their turn, given what they said so far. */
export function endpointDelayMs(text: string, s: EndpointingSettings): number {
  const words = text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
  const last = words.at(-1);
  if (!last) return s.minEndpointingMs;
  if (CONTINUATION_WORDS.has(last)) return s.maxEndpointingMs;
  const digits = trailingDigitCount(text);
  if (digits > 0 && digits < FULL_NUMBER_DIGITS) return s.maxEndpointingMs;
  return s.minEndpointingMs;
}
