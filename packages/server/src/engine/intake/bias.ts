/**
 * What the recogniser should expect after each question (`Dialogue.expecting()`): a grammar for
 * every closed-set answer, the request grammar for "why are you calling", the general model for
 * other free text. After the dialogue has said an answer back, the caller may correct it instead
 * of answering ("no, it's Ada"), so the grammar also takes "no" followed by the previous answer.
 * A field re-opened by a bare "no" is asked again with a wider bias: a name may be spelled, and
 * a reason gets the general model (the request grammar is what misheard it).
 */
import { choiceRules, dateRules, digitsRules, emailRules, nameRules, numberRules, oneOf, toGrammar, yesNoRules, type JsgfRules } from '../../providers/grammars.ts';
import type { RecognitionBias } from '../../providers/stt.ts';
import type { IntakeField } from './fields.ts';
import NAMES from './names-en.json' with { type: 'json' };
import { requestRules } from './request-grammar.ts';

/** What callers say before their name. */
export const NAME_CARRIERS = ['my name is', 'my name\'s', 'the name is', 'name is', 'this is', "it's", 'it is', "i'm", 'i am', 'you can call me', 'call me'];
/** String fields that hold why someone called: biased with the request grammar. */
const REQUEST_FIELD = /\b(reason|purpose|why|request|calling|inquiry|enquiry|topic|issue|concern|problem)\b/;
const CORRECTION = ['no', 'nope', 'not quite', "that's wrong", 'that is wrong', "that's not right", 'actually', 'no no'];

/** The grammar rules for a field, or null for the general model. */
export function rulesFor(f: IntakeField, opts: { readonly reopened?: boolean } = {}): JsgfRules | null {
  switch (f.kind) {
    case 'phone':
      return digitsRules();
    case 'number':
    case 'integer':
      return numberRules();
    case 'boolean':
      return yesNoRules();
    case 'enum':
      return (f.values ?? []).length > 0 ? choiceRules(f.values ?? []) : null;
    case 'name':
      return nameRules({ carriers: NAME_CARRIERS, firstNames: NAMES.first, lastNames: NAMES.last, ...(opts.reopened ? { spelled: true } : {}) });
    case 'email':
      return emailRules(NAMES.first);
    case 'date':
    case 'datetime':
      return dateRules();
    case 'string':
      // Re-opened by a "no": the request grammar misheard it, so the general model gets a turn.
      if (opts.reopened) return null;
      return REQUEST_FIELD.test(`${f.label} ${f.description ?? ''}`.toLowerCase()) ? requestRules() : null;
  }
}

/** "no" (and the like), optionally followed by a corrected value ("no, it's ada lovelace"). */
export function correctionRules(previous: JsgfRules | null): JsgfRules {
  const lead = `( ${CORRECTION.join(' | ')} )`;
  if (!previous) return { root: lead, rules: {} };
  const inner = oneOf(previous);
  return { root: `${lead} [it's | it is | i said | i meant] [ ${inner.root} ]`, rules: inner.rules };
}

/**
 * The bias for the next turn: the current question's rules, or those of a yes/no confirmation;
 * with the correction branch when the last reply said a value back. Grammars are named by a hash
 * of their text, so a recogniser compiles each distinct one once and reuses it.
 */
export function biasFor(opts: { readonly field: IntakeField | null; readonly confirming: boolean; readonly echoed: IntakeField | null; readonly reopened?: boolean }): RecognitionBias {
  const { field, confirming, echoed } = opts;
  if (!field) return { kind: 'general' };
  const rules = rulesFor(field, { reopened: opts.reopened ?? false });
  let g: JsgfRules | null;
  if (confirming) g = rules ? oneOf(yesNoRules(), correctionRules(rules), rules) : oneOf(yesNoRules(), correctionRules(null));
  else if (!rules) g = null;
  else g = echoed ? oneOf(rules, correctionRules(rulesFor(echoed))) : rules;
  if (!g) return { kind: 'general' };
  const bias = toGrammar('intake', g);
  return bias.kind === 'grammar' ? toGrammar(`intake-${field.kind}-${fnv1a(bias.jsgf)}`, g) : bias;
}

/** FNV-1a, 32 bits, as 8 hex digits: a short stable name for a grammar text. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
