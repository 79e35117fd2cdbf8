/**
 * Free text and names: the caller's words without the phrases that carry them ("my name is",
 * "I'm calling because") and the fillers around them ("um", "uh", "you know").
 */
import nlp from 'compromise';
import type { Parsed } from './types.ts';

const FILLERS = /\b(um+|uh+|er+|erm|hmm+|ah+|you know|i mean|like i said|basically|so yeah)\b[,]?/gi;
const NAME_CARRIERS = /^(?:(?:hi|hello|hey|yes|yeah|yep|sure|oh|well|okay|ok|good morning|good afternoon|good evening)[\s,]+)*(?:(?:my name is|my name's|the name is|the name's|name is|name's|this is|it's|it is|i'm|i am|i'm called|you can call me|call me|they call me|this)\s+)?/i;
const NAME_TRAILERS = /\s+(?:speaking|here|calling|thanks|thank you|please)$/i;
const TEXT_CARRIERS = /^(?:(?:hi|hello|hey|yes|yeah|sure|oh|well|okay|ok|so)[\s,]+)*(?:(?:i'm calling because|i am calling because|i'm calling about|i am calling about|i'm calling to|i am calling to|i'm calling|i am calling|i was calling about|i was calling to|the reason (?:for my call )?is(?: that)?|the reason i'm calling is(?: that)?|it's about|it is about|it's regarding|it is regarding|regarding|about)\s+)?/i;

/** The caller's words minus carriers and fillers, first letter capitalised; null when nothing is left. */
export function parseText(text: string): Parsed<string> | null {
  const t = tidy(text).replace(TEXT_CARRIERS, '');
  if (!t) return null;
  return { value: t.charAt(0).toUpperCase() + t.slice(1) };
}

/**
 * A person's name, title-cased: "hi my name is ada lovelace" → "Ada Lovelace". Spelled letters
 * ("a d a lovelace") are joined. compromise picks the name out of a longer sentence; without a
 * person in it, at most four words after the carrier are taken, and more than that is no answer.
 */
export function parseName(text: string): Parsed<string> | null {
  const t = joinSpelled(tidy(text)).replace(NAME_CARRIERS, '').replace(NAME_TRAILERS, '').trim();
  if (!t) return null;
  const person = nlp(t).people().out('array') as string[];
  const words = (person.length > 0 ? (person[0] as string) : t).replace(/[^\p{L}' -]/gu, ' ').split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 4) return null;
  // A question or a sentence is not a name ("do you take insurance").
  if (person.length === 0 && /^(what|when|where|why|how|can|could|do|does|did|is|are|will|would|should|i|we|you)$/i.test(words[0] as string)) return null;
  return { value: words.map(titleCase).join(' ') };
}

/** "a d a" → "ada": runs of single letters are one spelled word. */
export function joinSpelled(text: string): string {
  return text.replace(/\b(?:[a-z]\s+){1,}[a-z]\b/gi, (run) => (run.split(/\s+/).length >= 2 ? run.replace(/\s+/g, '') : run));
}

function tidy(text: string): string {
  return text.replace(FILLERS, ' ').replace(/\s+([,.!?])/g, '$1').replace(/\s+/g, ' ').replace(/^[\s,.]+|[\s,.]+$/g, '').trim();
}

function titleCase(w: string): string {
  // "o'brien" → "O'Brien", "mary-jane" → "Mary-Jane"; "mcdonald" stays "Mcdonald" (no guessing).
  return w.toLowerCase().replace(/(^|['-])(\p{L})/gu, (_, p: string, c: string) => p + c.toUpperCase());
}
