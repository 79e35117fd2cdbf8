/**
 * Splits streamed text (an LLM's tokens) into sentences for TTS, so the first sentence is spoken
 * while the rest is still being written (`calls.md`: "TTS starts on the first complete sentence").
 */

/** Abbreviations whose period does not end a sentence. */
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'jr', 'sr', 'prof', 'vs', 'etc', 'e.g', 'i.e', 'no', 'approx', 'apt', 'ave', 'mt']);

/** Returns the index just past the first sentence end in `text`, or -1 while the sentence may go on. */
export function sentenceEnd(text: string, final = false): number {
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\n') return i + 1;
    if (c !== '.' && c !== '!' && c !== '?' && c !== ';') continue;
    let j = i + 1;
    while (j < text.length && /["')\]]/.test(text[j] as string)) j++;
    // Needs the following whitespace to know the sentence ended ("3.5", "example.com" go on).
    if (j >= text.length) return final ? j : -1;
    if (!/\s/.test(text[j] as string)) continue;
    if (c === '.') {
      const word = /([\p{L}.]+)$/u.exec(text.slice(0, i))?.[1]?.toLowerCase() ?? '';
      if (ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word)) continue; // "Dr. Smith", "J. Smith"
    }
    return j;
  }
  return final && text.trim() ? text.length : -1;
}

/** Yields trimmed sentences from text pieces; the remainder when the input ends. */
export async function* sentences(pieces: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  let buf = '';
  for await (const piece of pieces) {
    buf += piece;
    for (let end = sentenceEnd(buf); end !== -1; end = sentenceEnd(buf)) {
      const s = buf.slice(0, end).trim();
      buf = buf.slice(end);
      if (s) yield s;
    }
  }
  const rest = buf.trim();
  if (rest) yield rest;
}
