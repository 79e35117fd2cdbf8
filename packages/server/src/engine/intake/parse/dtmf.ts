/**
 * Keypad input as the voice loop delivers it (calls.md → The voice loop: `[DTMF 1]`): the engine
 * collects digits until `#` or a pause and sends them as one turn, `[DTMF 4155550134]`.
 */

/** The keys of a DTMF turn (`"4155550134"`, `"*"`, with a trailing `#` if it was sent), or null for speech. */
export function dtmfKeys(text: string): string | null {
  const m = /^\s*\[DTMF\s+([0-9*#A-Da-d]*)\]\s*$/.exec(text);
  return m ? (m[1] as string).toUpperCase() : null;
}

/** The digits of a DTMF turn without `*`/`#` terminators. */
export function dtmfDigits(keys: string): string {
  return keys.replace(/[^0-9]/g, '');
}
