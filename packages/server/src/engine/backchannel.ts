/**
 * Backchannels — "mm-hmm", "yeah", "okay", "right" — said while the agent talks show the caller is
 * listening; with `settings.ignore_backchannels` (on by default) they do not interrupt (`calls.md`
 * → Barge-in). Pure.
 */

const BACKCHANNEL_WORDS = new Set([
  'mm', 'mhm', 'mmhmm', 'mm-hmm', 'hmm', 'uh-huh', 'uhhuh', 'huh', 'uh', 'um', 'yeah', 'yep', 'yes', 'yup', 'ok', 'okay', 'right', 'sure', 'alright', 'aha', 'ah', 'oh', 'i', 'see', 'got', 'it', 'cool', 'great', 'nice', 'good',
]);

/** Recognised words of `text`, lower-case. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9][a-z0-9'-]*/g) ?? [];
}

/** True when `text` has words and every one of them is a backchannel ("okay", "yeah right", "i see"). */
export function isBackchannel(text: string): boolean {
  const words = wordsOf(text);
  return words.length > 0 && words.length <= 3 && words.every((w) => BACKCHANNEL_WORDS.has(w));
}

/** True when `text` holds a word that is not a backchannel: the caller is saying something. */
export function hasContent(text: string): boolean {
  const words = wordsOf(text);
  return words.length > 3 || words.some((w) => !BACKCHANNEL_WORDS.has(w));
}
