/**
 * JSGF grammars (W3C JSpeech Grammar Format) for the closed-set answers an intake dialogue asks
 * for. Vendor-neutral: any recogniser that takes JSGF (pocketsphinx here) compiles them; others
 * can ignore them. A grammar turns pocketsphinx from ~40 % WER on telephone speech (general
 * language model) into a recogniser that can only hear what was asked for. For pocketsphinx every
 * word must be in the model's dictionary (`cmudict-en-us.dict`): lower case, no punctuation.
 *
 * Grammars are built as `JsgfRules` (a public expansion and its named rules), which compose:
 * `oneOf()` lets the caller answer the question *or* correct the previous answer in one turn.
 */
import type { RecognitionBias } from './stt.ts';

/** A grammar body: the public rule's expansion and the named rules it references (names without `<>`). */
export interface JsgfRules {
  readonly root: string;
  readonly rules: Readonly<Record<string, string>>;
}

const DIGIT_WORDS = ['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEEN_WORDS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS_WORDS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** What callers say before a number ("you can reach me at …"). */
export const PHONE_CARRIER_PHRASES = ['you can reach me at', 'my number is', 'my phone number is', 'the number is', 'call me at', 'it is', "it's", 'sure'];

/** Lower case, letters and apostrophes only, single spaces: the form a dictionary word has. */
export function grammarWords(text: string): string {
  return text.toLowerCase().replace(/[^a-z' ]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** `a | b | c` from phrases, each reduced to dictionary form; duplicates and empties dropped. */
export function alternatives(xs: readonly string[]): string {
  return [...new Set(xs.map(grammarWords).filter(Boolean))].join(' | ');
}

/** Serialises rules as a named grammar with one public rule. */
export function toGrammar(name: string, g: JsgfRules, publicRule = 'answer'): RecognitionBias {
  const id = name.replace(/\W/g, '_');
  const jsgf = ['#JSGF V1.0;', `grammar ${id};`, `public <${publicRule}> = ${g.root};`, ...Object.entries(g.rules).map(([k, v]) => `<${k}> = ${v};`)].join('\n');
  return { kind: 'grammar', name, jsgf };
}

/** Any one of several grammars: each part's rules get a prefix so their names cannot clash. */
export function oneOf(...parts: readonly JsgfRules[]): JsgfRules {
  const rules: Record<string, string> = {};
  const roots: string[] = [];
  parts.forEach((p, i) => {
    const rename = (s: string): string => s.replace(/<([\w-]+)>/g, (_, n: string) => `<g${i}_${n}>`);
    for (const [k, v] of Object.entries(p.rules)) rules[`g${i}_${k}`] = rename(v);
    roots.push(`( ${rename(p.root)} )`);
  });
  return { root: roots.join(' | '), rules };
}

/** Digit by digit ("four one five", "double five"), with optional lead-in phrases. */
export function digitsRules(carrierPhrases: readonly string[] = PHONE_CARRIER_PHRASES): JsgfRules {
  return {
    root: `${carrierPhrases.length ? '[<carrier>] ' : ''}<digit>+`,
    rules: { ...(carrierPhrases.length ? { carrier: alternatives(carrierPhrases) } : {}), digit: '<d> | double <d> | triple <d>', d: DIGIT_WORDS.join(' | ') },
  };
}

/** A digit string with optional lead-in phrases: phone numbers, account numbers, PINs. */
export function digitsGrammar(opts: { carrierPhrases?: readonly string[]; name?: string } = {}): RecognitionBias {
  return toGrammar(opts.name ?? 'digits', digitsRules(opts.carrierPhrases), 'digits');
}

/** Numbers said as words ("twenty five", "four hundred and ten", "one point five", "four one five"). */
export function numberRules(carrierPhrases: readonly string[] = ["it's", 'it is', 'about', 'around', 'maybe', 'i think', 'we are', "we're", 'there are', 'just']): JsgfRules {
  return {
    root: `${carrierPhrases.length ? '[<carrier>] ' : ''}<n>+ [<unit>]`,
    rules: {
      ...(carrierPhrases.length ? { carrier: alternatives(carrierPhrases) } : {}),
      n: [...DIGIT_WORDS, ...TEEN_WORDS, ...TENS_WORDS, 'hundred', 'thousand', 'million', 'and', 'point', 'double', 'a'].join(' | '),
      unit: alternatives(['people', 'of us', 'persons', 'guests', 'dollars', 'years', 'years old', 'minutes', 'hours', 'days', 'weeks', 'times', 'please']),
    },
  };
}

/** Yes or no, with the usual ways of saying them, alone or chained ("yes, that is right"). */
export function yesNoRules(): JsgfRules {
  const yes = ['yes', 'yeah', 'yep', 'sure', 'correct', "that's right", 'that is right', "that's correct", 'that is correct', 'right', 'okay', 'of course', 'absolutely', 'i do', 'i am', 'please'];
  const no = ['no', 'nope', 'not really', "that's wrong", 'that is wrong', 'wrong', 'incorrect', 'not at all', "i don't", 'i do not', "i'm not", 'no thanks', 'no thank you'];
  return { root: '<yes>+ | <no>+', rules: { yes: alternatives(yes), no: alternatives(no) } };
}

/** Yes or no as one grammar. */
export function yesNoGrammar(): RecognitionBias {
  return toGrammar('yesno', yesNoRules());
}

/** One of a fixed set of values, optionally after a lead-in. */
export function choiceRules(values: readonly string[], carrierPhrases: readonly string[] = ["it's", 'it is', "i'd like", 'i want', 'i would like']): JsgfRules {
  return { root: '[<carrier>] <value>', rules: { carrier: alternatives(carrierPhrases), value: alternatives(values) } };
}

/** One of a fixed set of values (an enum field), optionally after a lead-in. */
export function choiceGrammar(name: string, values: readonly string[], carrierPhrases?: readonly string[]): RecognitionBias {
  const g = choiceRules(values, carrierPhrases);
  return toGrammar(`choice-${name}`, g, 'choice');
}

/** The 26 letters, spoken one by one ("a d a"). */
export function lettersRules(): JsgfRules {
  return { root: '<letter>+', rules: { letter: 'abcdefghijklmnopqrstuvwxyz'.split('').join(' | ') } };
}

/** Spelled letters ("a d a"), for names and e-mail addresses. */
export function lettersGrammar(): RecognitionBias {
  return toGrammar('letters', lettersRules(), 'letters');
}

/**
 * A person's name: a lead-in ("hi my name is", "this is"), a first name and optionally a last
 * name from the lists given; with `spelled`, also the name spelled letter by letter (offered
 * when a name was misheard: letters alongside names otherwise make names worse, measured).
 */
export function nameRules(opts: { readonly carriers: readonly string[]; readonly firstNames: readonly string[]; readonly lastNames: readonly string[]; readonly spelled?: boolean }): JsgfRules {
  const rules: Record<string, string> = { carrier: alternatives(opts.carriers), first: alternatives(opts.firstNames), last: alternatives(opts.lastNames) };
  if (opts.spelled) rules.letter = lettersRules().rules.letter as string;
  return { root: `[hi | hello | yes | yeah | sure] [<carrier>] ( <first> [<last>] | <last>${opts.spelled ? ' | <letter>+ [<last> | <letter>+]' : ''} )`, rules };
}

/** An e-mail address spelled or said in words ("ada dot lovelace at gmail dot com"). */
export function emailRules(words: readonly string[] = []): JsgfRules {
  const domains = ['gmail', 'yahoo', 'hotmail', 'outlook', 'icloud', 'aol', 'proton', 'mail', 'com', 'net', 'org', 'edu', 'co', 'uk', 'us', 'io'];
  return {
    root: '[<carrier>] <part>+',
    rules: {
      carrier: alternatives(["it's", 'it is', 'my email is', 'my email address is', 'my e mail is', 'sure']),
      part: '<letter> | <d> | <word> | at | dot | underscore | dash | hyphen | period',
      letter: lettersRules().rules.letter as string,
      d: DIGIT_WORDS.join(' | '),
      word: alternatives([...domains, ...words]),
    },
  };
}

/** Dates and times as callers say them ("next tuesday at three thirty", "november the fifth"). */
export function dateRules(): JsgfRules {
  const ordinals = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth', 'thirtieth'];
  return {
    root: '[<carrier>] <part>+',
    rules: {
      carrier: alternatives(["it's", 'it is', 'how about', 'maybe', "i'd like", 'i would like', 'can i come', 'can we do', 'sure']),
      part: '<day> | <month> | <ordinal> | <n> | <word>',
      day: 'monday | tuesday | wednesday | thursday | friday | saturday | sunday',
      month: 'january | february | march | april | may | june | july | august | september | october | november | december',
      ordinal: ordinals.join(' | '),
      n: [...DIGIT_WORDS, ...TEEN_WORDS, ...TENS_WORDS, 'hundred', 'thousand'].join(' | '),
      word: alternatives(['today', 'tomorrow', 'tonight', 'yesterday', 'next', 'this', 'coming', 'on', 'the', 'of', 'at', 'in', 'a', 'week', 'weeks', 'month', 'weekend', 'morning', 'afternoon', 'evening', 'noon', 'midnight', "o'clock", 'thirty', 'fifteen', 'quarter', 'past', 'half', 'to', 'after', 'am', 'pm', 'a m', 'p m', 'from', 'now', 'day', 'days', 'after tomorrow']),
    },
  };
}

const WORD_DIGITS: Readonly<Record<string, string>> = { zero: '0', oh: '0', o: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9' };

/** Maps recognised digit words to digits ("four one five" → "415"; "double five" → "55"). */
export function digitsFromWords(text: string): string {
  const words = text.toLowerCase().split(/\s+/);
  let out = '';
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const next = WORD_DIGITS[words[i + 1] ?? ''];
    if ((w === 'double' || w === 'triple') && next !== undefined) {
      out += next.repeat(w === 'double' ? 2 : 3);
      i += 1;
      continue;
    }
    if (WORD_DIGITS[w] !== undefined && w !== 'o') out += WORD_DIGITS[w];
  }
  return out;
}
