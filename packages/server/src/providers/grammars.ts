/**
 * JSGF grammars for the closed-set answers an intake dialogue asks for. A grammar turns
 * pocketsphinx from ~40 % WER on telephone speech (general language model) into a recogniser that
 * can only hear what was asked for. Every word must be in the model's dictionary
 * (`cmudict-en-us.dict`): lower case, no punctuation.
 */
import type { RecognitionBias } from '../../stt.ts';

const DIGIT_WORDS = ['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** What callers say before a number ("you can reach me at …"). */
export const PHONE_CARRIER_PHRASES = ['you can reach me at', 'my number is', 'my phone number is', 'the number is', 'call me at', 'it is', "it's", 'sure'];

const alternatives = (xs: readonly string[]): string => xs.map((x) => x.toLowerCase().replace(/[^a-z' ]/g, ' ').replace(/\s+/g, ' ').trim()).filter(Boolean).join(' | ');

/** A digit string with optional lead-in phrases: phone numbers, account numbers, PINs. */
export function digitsGrammar(opts: { carrierPhrases?: readonly string[]; name?: string } = {}): RecognitionBias {
  const carriers = opts.carrierPhrases ?? PHONE_CARRIER_PHRASES;
  const jsgf = [
    '#JSGF V1.0;',
    'grammar digits;',
    `public <digits> = ${carriers.length ? '[<carrier>] ' : ''}<digit>+;`,
    ...(carriers.length ? [`<carrier> = ${alternatives(carriers)};`] : []),
    '<digit> = <d> | double <d>;',
    `<d> = ${DIGIT_WORDS.join(' | ')};`,
  ].join('\n');
  return { kind: 'grammar', name: opts.name ?? 'digits', jsgf };
}

/** Yes or no, with the usual ways of saying them, alone or chained ("yes, that is right"). */
export function yesNoGrammar(): RecognitionBias {
  const yes = ['yes', 'yeah', 'yep', 'sure', 'correct', "that's right", 'that is right', "that's correct", 'that is correct', 'right', 'okay', 'of course'];
  const no = ['no', 'nope', 'not really', "that's wrong", 'that is wrong', 'wrong', 'incorrect', 'not at all'];
  const jsgf = ['#JSGF V1.0;', 'grammar yesno;', 'public <answer> = <yes>+ | <no>+;', `<yes> = ${alternatives(yes)};`, `<no> = ${alternatives(no)};`].join('\n');
  return { kind: 'grammar', name: 'yesno', jsgf };
}

/** One of a fixed set of values (an enum field), optionally after a lead-in. */
export function choiceGrammar(name: string, values: readonly string[], carrierPhrases: readonly string[] = ["it's", 'it is', "i'd like", 'i want', 'i would like']): RecognitionBias {
  const jsgf = ['#JSGF V1.0;', `grammar ${name.replace(/\W/g, '_')};`, `public <choice> = [<carrier>] <value>;`, `<carrier> = ${alternatives(carrierPhrases)};`, `<value> = ${alternatives(values)};`].join('\n');
  return { kind: 'grammar', name: `choice-${name}`, jsgf };
}

/** Spelled letters ("a d a"), for names and e-mail addresses. */
export function lettersGrammar(): RecognitionBias {
  const letters = 'abcdefghijklmnopqrstuvwxyz'.split('');
  const jsgf = ['#JSGF V1.0;', 'grammar letters;', 'public <letters> = <letter>+;', `<letter> = ${letters.join(' | ')};`].join('\n');
  return { kind: 'grammar', name: 'letters', jsgf };
}

/** Maps recognised digit words to digits ("four one five" → "415"; "double five" → "55"). */
export function digitsFromWords(text: string): string {
  const map: Record<string, string> = { zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9' };
  const words = text.toLowerCase().split(/\s+/);
  let out = '';
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === 'double' && map[words[i + 1] ?? ''] !== undefined) {
      out += map[words[i + 1] as string];
      continue;
    }
    if (map[w] !== undefined) out += map[w];
  }
  return out;
}
