/**
 * What the intake dialogue says: questions phrased from a field's name and description, the
 * echo that confirms an answer implicitly, and the fixed lines. Plain, short sentences that a
 * form-filler can honestly say; nothing that pretends to understand more than it does.
 */
import type { IntakeField } from './fields.ts';
import type { Parsed } from './parse/index.ts';

/** Labels that are about the caller: "your phone number", not "the phone number". */
const PERSONAL = /\b(name|number|phone|email|e mail|address|birthday|birth|age|insurance|account|company|employer|preferred)\b/;
const CALLER_PREFIX = /^(caller|callers|customer|customers|patient|patients|client|clients|contact|user|guest)\s+/;

export const LINES = {
  greeting: (agentName: string) => `Hello, you have reached ${agentName}.`,
  notUnderstood: "Sorry, I didn't catch that.",
  stillNotUnderstood: "Sorry, I still didn't get that.",
  leaveBlank: "I'll leave that one blank.",
  passOn: "I'm an automated assistant taking a message, so I can't answer that myself, but I'll pass that on.",
  whatAmI: "I'm an automated assistant. I take down a few details and pass them on to the team.",
  stillThere: 'Are you still there?',
  silentGoodbye: "I haven't heard anything, so I'll end the call now. Goodbye.",
  sorry: 'Sorry about that.',
  passedOn: "I'll pass this on. Thank you for calling. Goodbye.",
  alreadyDone: "I've already got everything I need, and I'll pass it on. Goodbye.",
  keypad: 'You can also type it on your keypad, then press pound.',
  keypadOnly: "I can't understand speech on this line, so please answer with your keypad, then press pound.",
} as const;

/** The question for a field, from its description when there is one, otherwise from its name. */
export function questionFor(f: IntakeField): string {
  const d = f.description?.trim();
  if (d && /\?$/.test(d)) return d;
  const label = plainLabel(f);
  if (f.kind === 'name') return /\bfirst\b/.test(label) ? "What's your first name?" : /\b(last|sur)\b/.test(label) ? "What's your last name?" : "What's your name?";
  if (d) return ask(f, yourify(d.replace(/[.!]+$/, '')));
  switch (f.kind) {
    case 'phone':
      return /call ?back|callback/.test(label) ? "What's the best number to call you back on?" : `What's ${the(label)}?`;
    case 'email':
      return "What's your email address?";
    case 'boolean':
      return yesNoQuestion(label);
    case 'enum':
      return ask(f, the(label));
    case 'datetime':
      return `What day and time ${label.replace(/\b(date ?time|datetime|time|date)\b/g, '').trim() ? `for ${the(label.replace(/\b(date ?time|datetime|time|date)\b/g, '').trim())}` : 'would suit you'}?`;
    default:
      if (/^reason\b|^purpose\b|^why\b/.test(label)) return "What's the reason for your call?";
      if (/^message\b/.test(label)) return 'What message would you like to leave?';
      return `What's ${the(label)}?`;
  }
}

/** Adds the enum's choices ("…: a cleaning, a checkup, or a filling?"). */
function ask(f: IntakeField, what: string): string {
  const vals = f.values ?? [];
  if (/^(which|what|how|when|where|who)\b/.test(what)) return `${capitalise(what)}${f.kind === 'enum' && vals.length > 0 && vals.length <= 6 ? `: ${orList(vals)}` : ''}?`;
  if (f.kind === 'enum' && vals.length > 0 && vals.length <= 6) return `What's ${what}: ${orList(vals)}?`;
  if (f.kind === 'boolean') return `${capitalise(what)}, yes or no?`;
  return `What's ${what}?`;
}

function yesNoQuestion(label: string): string {
  const [head, ...rest] = label.split(' ');
  const tail = rest.join(' ');
  if (tail) {
    if (head === 'is' || head === 'are') return `Are you ${/^(new|returning|existing|first)\b/.test(tail) ? 'a ' : ''}${tail}?`;
    if (head === 'has' || head === 'have') return `Do you have ${tail}?`;
    if (head === 'wants' || head === 'want') return `Do you want ${tail}?`;
    if (head === 'needs' || head === 'need') return `Do you need ${tail}?`;
    if (head === 'can') return `Can you ${tail}?`;
  }
  return `${capitalise(label)}, yes or no?`;
}

/** The implicit confirmation that opens the next question ("Thanks, Ada Lovelace."). */
export function echoFor(f: IntakeField, p: Parsed): string {
  const said = spokenValue(p);
  switch (f.kind) {
    case 'name':
      return `Thanks, ${said}.`;
    case 'phone':
    case 'email':
      return `Thanks, I have ${said}.`;
    case 'string':
      return `Got it: ${secondPerson(said)}.`;
    case 'boolean':
      return `Okay, ${said}.`;
    default:
      return `${capitalise(said)}, got it.`;
  }
}

/** The explicit confirmation for a doubtful value. */
export function confirmFor(f: IntakeField, p: Parsed): string {
  return `I heard ${f.kind === 'string' ? secondPerson(spokenValue(p)) : spokenValue(p)} for ${plainLabel(f).replace(/^your /, '')}. Is that right?`;
}

/** "Here's what I have: name Ada Lovelace; reason, …; callback number 4 1 5…." — filled fields only. */
export function summary(filled: ReadonlyArray<readonly [IntakeField, Parsed]>): string {
  if (filled.length === 0) return '';
  const parts = filled.map(([f, p]) => `${plainLabel(f)}: ${f.kind === 'string' ? secondPerson(spokenValue(p)) : spokenValue(p)}`);
  return `Here's what I have. ${parts.map((s) => `${capitalise(s)}.`).join(' ')}`;
}

/** How a value is read aloud. */
export function spokenValue(p: Parsed): string {
  if (p.spoken !== undefined) return p.spoken;
  if (Array.isArray(p.value)) return p.value.map(String).join(' and ');
  if (typeof p.value === 'boolean') return p.value ? 'yes' : 'no';
  return String(p.value);
}

/** The caller's words said back to them: "I'd like to move my cleaning" → "you'd like to move your cleaning". */
export function secondPerson(text: string): string {
  const map: Record<string, string> = { i: 'you', "i'm": "you're", "i'd": "you'd", "i've": "you've", "i'll": "you'll", my: 'your', me: 'you', mine: 'yours', myself: 'yourself', am: 'are', we: 'you', "we're": "you're", our: 'your', us: 'you', ours: 'yours', "i was": 'you were' };
  const out = text.replace(/\b(i was|i'm|i'd|i've|i'll|i|my|me|mine|myself|am|we're|we|our|ours|us)\b/gi, (w) => map[w.toLowerCase()] ?? w);
  return out.charAt(0).toLowerCase() + out.slice(1);
}

/** The label without "caller": "caller name" → "name". */
export function plainLabel(f: IntakeField): string {
  return f.label.replace(CALLER_PREFIX, '');
}

function the(label: string): string {
  return PERSONAL.test(label) ? `your ${label}` : `the ${label}`;
}

/** "The caller's preferred date" → "your preferred date"; a description without an article gets one. */
function yourify(desc: string): string {
  const d = desc.charAt(0).toLowerCase() + desc.slice(1);
  const y = d.replace(/\b(the )?(caller|customer|patient|client)('s|s')/gi, 'your').replace(/\bthe (caller|customer|patient|client) (is|has|wants|needs|would)\b/gi, (_, __, v: string) => `you ${({ is: 'are', has: 'have', wants: 'want', needs: 'need', would: 'would' } as Record<string, string>)[v.toLowerCase()] ?? v}`).replace(/\bthe (caller|customer|patient|client)\b/gi, 'you');
  return /^(the|a|an|your|my|which|what|how|when|where|who)\b/i.test(y) ? y : the(y);
}

function orList(xs: readonly string[]): string {
  return xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')}, or ${xs[xs.length - 1] as string}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
