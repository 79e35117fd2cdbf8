/**
 * A grammar for "why are you calling": requests as front desks hear them — a lead-in ("I'd like
 * to", "I'm calling about"), a verb (move, cancel, book…), a thing (my cleaning, an appointment,
 * my bill…), who it is for, and when ("to next week", "on Tuesday afternoon").
 *
 * Why a grammar for free text: pocketsphinx's general model got 6 of the 9 words of "I'd like to
 * move my cleaning to next week" wrong over G.711 ("i'd like to like leading to that too weak");
 * this grammar gets it right, at 20× less CPU. The cost, measured and documented in the README:
 * a reason outside the grammar comes out as the nearest request it allows ("my tooth has been
 * hurting since monday" → "i'd like to have prescription to this monday"), which is why the
 * dialogue says the reason back and takes a "no" — and then re-asks with the general model.
 *
 * Every word is in pocketsphinx's dictionary (checked by the test). The vocabulary is a fixed,
 * broad list of front-desk nouns: words taken from an agent's own text could be missing from the
 * recogniser's dictionary, which the dialogue cannot see (the dictionary is behind the STT port),
 * and a grammar with one unknown word does not compile.
 */
import type { JsgfRules } from '../../providers/grammars.ts';
import { alternatives } from '../../providers/grammars.ts';

const LEADS = [
  "i'd like to", 'i would like to', 'i want to', 'i wanted to', 'i need to', "i'm calling to", 'i am calling to', "i'm calling about", 'i am calling about',
  "i'm calling because", 'i was calling to', 'i was hoping to', 'can i', 'could i', 'can you', 'could you', "i'd like", 'i want', 'i need', 'i have', 'i had',
  "it's about", 'it is about', 'about', 'regarding', 'just', 'we need to', "we'd like to", 'please', 'yes', 'hi', 'so', 'well',
];
const VERBS = [
  'move', 'reschedule', 'cancel', 'book', 'make', 'change', 'confirm', 'schedule', 'set up', 'check', 'check on', 'ask about', 'talk about', 'ask',
  'talk to', 'speak to', 'speak with', 'get', 'have', 'pay', 'discuss', 'update', 'report', 'order', 'return', 'renew', 'refill', 'pick up',
  'drop off', 'come in', 'see', 'arrange', 'push back', 'postpone', 'request', 'leave', 'add', 'fix', 'replace', 'follow up on',
];
/** Things people call a front desk about: health, dental, salons, shops, trades, restaurants, offices. */
const NOUNS = [
  'appointment', 'appointments', 'cleaning', 'checkup', 'check up', 'filling', 'crown', 'root canal', 'x ray', 'whitening', 'extraction', 'braces',
  'exam', 'consultation', 'visit', 'session', 'reservation', 'booking', 'table', 'order', 'delivery', 'package', 'refund', 'bill', 'invoice',
  'payment', 'balance', 'account', 'insurance', 'claim', 'prescription', 'refill', 'test results', 'results', 'referral', 'doctor', 'dentist',
  'hygienist', 'nurse', 'manager', 'someone', 'haircut', 'massage', 'repair', 'estimate', 'quote', 'service', 'installation', 'inspection',
  'lesson', 'class', 'membership', 'subscription', 'policy', 'problem', 'issue', 'question', 'questions', 'complaint', 'message', 'tooth',
  'teeth', 'pain', 'emergency', 'time', 'date', 'slot', 'card', 'address', 'phone number', 'car', 'room', 'ticket', 'meeting',
  'interview', 'application', 'job', 'treatment', 'surgery', 'vaccination', 'shot', 'physical', 'therapy', 'paperwork', 'forms', 'records',
];
const ADJECTIVES = ['new', 'next', 'regular', 'annual', 'routine', 'dental', 'emergency', 'follow up', 'first', 'last', 'usual', 'six month'];
const DETERMINERS = ['my', 'an', 'a', 'the', 'our', 'his', 'her', 'their', 'some', 'another', 'this', 'that'];
const WHO = ['son', 'daughter', 'wife', 'husband', 'child', 'kids', 'children', 'mother', 'father', 'mom', 'dad', 'family', 'partner', 'friend', 'me', 'us', 'him', 'her', 'them'];
const RELATIVE = ['today', 'tomorrow', 'tonight', 'next week', 'this week', 'next month', 'this month', 'later', 'later today', 'the weekend', 'this weekend', 'next weekend', 'as soon as possible', 'another day', 'another time', 'a later date'];
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const PARTS = ['morning', 'afternoon', 'evening', 'in the morning', 'in the afternoon', 'in the evening'];
const HOURS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'noon'];

/** The request grammar's rules. */
export function requestRules(): JsgfRules {
  return {
    root: '[<lead>] <clause> [[and | also] <clause>]',
    rules: {
      lead: alternatives(LEADS),
      clause: '<verb> [<obj>] [<for>] [<when>] | <obj> [<for>] [<when>] | <when>',
      verb: alternatives(VERBS),
      obj: '[<det>] [<adj>] <noun> [<noun>]',
      det: alternatives(DETERMINERS),
      adj: alternatives(ADJECTIVES),
      noun: alternatives(NOUNS),
      for: '(for | with | about) [<det>] <who>',
      who: alternatives(WHO),
      when: '[to | for | on | until | at | in | by | from | after | before] <time>',
      time: `<rel> | [next | this | on] <day> [<part>] | <part> | <hour> [o'clock | thirty | fifteen | forty five] [<part>]`,
      rel: alternatives(RELATIVE),
      day: DAYS.join(' | '),
      part: alternatives(PARTS),
      hour: HOURS.join(' | '),
    },
  };
}

/** Every word the request grammar can produce (for the dictionary check in tests). */
export function requestWords(): string[] {
  return [...new Set([...LEADS, ...VERBS, ...NOUNS, ...ADJECTIVES, ...DETERMINERS, ...WHO, ...RELATIVE, ...DAYS, ...PARTS, ...HOURS, 'and', 'also', 'for', 'with', 'about', 'to', 'on', 'until', 'at', 'in', 'by', 'from', 'after', 'before', 'next', 'this', "o'clock", 'thirty', 'fifteen', 'forty', 'five'].flatMap((p) => p.split(' ')))];
}
