/**
 * The STT port promises final text as lower-case words separated by single spaces (`stt.ts`), the
 * form the intake dialogue's parsers read. Cloud recognisers punctuate and capitalise; this undoes
 * it without breaking tokens that carry meaning inside ("3.5", "e-mail", "o'clock", "415-555").
 */
export function normaliseTranscript(text: string): string {
  return text
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}']+|[^\p{L}\p{N}']+$/gu, '').replace(/^'+|'+$/g, ''))
    .filter(Boolean)
    .join(' ');
}
