/**
 * The offline `local` dialogue (providers.md → Offline defaults): a deterministic form-filler that
 * greets with `first_message`, asks for each `returns` field in turn, fills it with a real parser,
 * says each answer back (implicit confirmation) or asks yes/no when it is unsure, takes
 * corrections ("no, it's …"), re-asks at most twice, answers anything else with "I'll pass that
 * on", reads back a summary and ends the call through the `end_call` tool.
 *
 * Every decision is made when `reply()` starts; the reply text is then streamed sentence by
 * sentence. A barge-in aborts the stream quietly, and `end_call` only runs if the goodbye was not
 * interrupted.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { RecognitionBias } from '../../providers/stt.ts';
import type { Dialogue, DialogueDelta, DialogueInput, ToolRunner } from '../dialogue.ts';
import { biasFor } from './bias.ts';
import { assemble, fieldsOf, pathKey, type IntakeField } from './fields.ts';
import { dtmfDigits, dtmfKeys } from './parse/dtmf.ts';
import { parseAnswer, parseKeys, type ParseContext, type Parsed } from './parse/index.ts';
import { afterNo, parseYesNo } from './parse/yes-no.ts';
import { confirmFor, echoFor, LINES, questionFor, summary } from './phrasing.ts';

/** A field is re-asked at most twice after a failed answer (three tries), then left null. */
const MAX_RETRIES = 2;

/** The parts of a call's snapshot (calls/snapshot.ts) the intake reads. */
export interface IntakeSnapshot {
  readonly name?: string | null;
  readonly first_message?: string | null;
  readonly returns?: unknown;
  readonly timezone?: string | null;
  readonly language?: string | null;
  readonly persona?: string | null;
  readonly instructions?: string | null;
}

export interface IntakeDialogueOptions {
  readonly snapshot: IntakeSnapshot;
  /** Now, in ms since the epoch (the call's `Clock.now`): relative dates are read against it. */
  readonly now: () => number;
  /** Country for phone numbers said without a country code (the organisation's; default US). */
  readonly defaultCountry?: CountryCode;
  /** Tool-call ids (`call_…`); injectable for tests. */
  readonly newId?: () => string;
  /**
   * No speech recogniser on this line (providers.md: "without STT the intake dialogue takes keypad
   * answers"): only fields a keypad can answer are asked, and the caller is told to use it.
   */
  readonly keypadOnly?: boolean;
}

/** Field kinds a keypad answers: digits, 1/2 for yes/no, an option's number. */
const KEYPAD_KINDS: ReadonlySet<string> = new Set(['phone', 'number', 'integer', 'boolean', 'enum']);

type Phase = { readonly type: 'asking' } | { readonly type: 'confirming'; readonly parsed: Parsed } | { readonly type: 'done' };

export class IntakeDialogue implements Dialogue {
  readonly id = 'local';
  private readonly fields: IntakeField[];
  private readonly values = new Map<string, Parsed>();
  private readonly ctx: () => ParseContext;
  private index = 0;
  private retries = 0;
  private phase: Phase = { type: 'asking' };
  /** The field whose answer the last reply said back (a "no" next corrects it). */
  private echoed: IntakeField | null = null;
  /** Keypad digits typed so far for a phone number, across turns that ended on a pause. */
  private keyed = '';
  /** The current field was re-opened by a "no": a name may now be spelled, a reason said freely. */
  private reopened = false;
  private toolCalls = 0;
  private readonly newId: () => string;
  /** What the caller heard of each reply (the history; a barge-in leaves a prefix). */
  readonly history: Array<{ readonly role: 'agent' | 'caller'; readonly text: string; readonly interrupted?: boolean }> = [];

  constructor(private readonly opts: IntakeDialogueOptions) {
    this.fields = fieldsOf(opts.snapshot.returns).filter((f) => !opts.keypadOnly || KEYPAD_KINDS.has(f.kind));
    const timezone = opts.snapshot.timezone || 'UTC';
    const defaultCountry = opts.defaultCountry ?? 'US';
    this.ctx = () => ({ now: opts.now(), timezone, defaultCountry });
    this.newId = opts.newId ?? (() => `call_local_${++this.toolCalls}`);
  }

  expecting(): RecognitionBias {
    if (this.phase.type === 'done') return { kind: 'general' };
    return biasFor({ field: this.current(), confirming: this.phase.type === 'confirming', echoed: this.echoed, reopened: this.reopened });
  }

  filledFields(): Record<string, unknown> {
    const flat = new Map<string, unknown>();
    for (const [k, p] of this.values) flat.set(k, p.value);
    return assemble(this.opts.snapshot.returns, flat);
  }

  heard(text: string, interrupted: boolean): void {
    if (text) this.history.push({ role: 'agent', text, ...(interrupted ? { interrupted } : {}) });
  }

  async *reply(input: DialogueInput, opts: { readonly signal: AbortSignal; readonly tools: ToolRunner }): AsyncGenerator<DialogueDelta> {
    if (input.type === 'caller_turn') this.history.push({ role: 'caller', text: input.text });
    const plan = this.decide(input);
    for (const sentence of plan.say) {
      if (opts.signal.aborted) return;
      if (sentence) yield { type: 'text', text: `${sentence} ` };
    }
    if (!plan.end || opts.signal.aborted) return;
    try {
      await opts.tools.run({ id: this.newId(), name: 'end_call', arguments: {} }, { signal: opts.signal, callerLastTurn: input.type === 'caller_turn' ? input.text : '' });
    } catch (e) {
      if (opts.signal.aborted || (e instanceof Error && e.name === 'AbortError')) return;
      throw e;
    }
  }

  // ── decisions ───────────────────────────────────────────────────────────────────────────────

  private decide(input: DialogueInput): { say: string[]; end: boolean } {
    if (input.type === 'call_start') return this.start();
    if (input.type === 'silence') {
      if (input.count >= 2) return this.finish([LINES.silentGoodbye], true);
      return { say: [LINES.stillThere, this.prompt()], end: false };
    }
    if (this.phase.type === 'done') return { say: [LINES.alreadyDone], end: true };
    const keys = dtmfKeys(input.text);
    if (this.phase.type === 'confirming') return this.onConfirm(input.text, keys, this.phase.parsed);
    return this.onAnswer(input.text, keys);
  }

  private start(): { say: string[]; end: boolean } {
    const first = this.opts.snapshot.first_message?.trim();
    const named = first || LINES.greeting(this.opts.snapshot.name?.trim() || 'us');
    const greeting = this.opts.keypadOnly ? `${named.replace(/\s*[^.!?]*\?\s*$/, '') || named} ${LINES.keypadOnly}` : named;
    if (this.fields.length === 0) return this.finish([greeting], false);
    // A first message that already asks a question ("May I have your name, please?") asks the
    // first field; otherwise the first question follows it.
    return { say: /\?\s*$/.test(greeting) ? [greeting] : [greeting, questionFor(this.fields[0] as IntakeField)], end: false };
  }

  private onAnswer(text: string, keys: string | null): { say: string[]; end: boolean } {
    const field = this.current() as IntakeField;
    const ctx = this.ctx();
    // A correction of the answer just said back: "no, it's Ada" / "no".
    const rest = keys === null && this.echoed ? afterNo(text) : null;
    if (rest !== null && this.echoed && !(field.kind === 'boolean' && rest === '')) {
      const prev = this.echoed;
      const fixed = rest ? parseAnswer(prev, rest, ctx) : null;
      if (fixed && !fixed.doubtful) {
        this.values.set(pathKey(prev.path), fixed);
        return { say: [`${LINES.sorry} ${echoFor(prev, fixed)}`, questionFor(field)], end: false };
      }
      // Back to the previous question.
      this.values.delete(pathKey(prev.path));
      this.index = this.fields.indexOf(prev);
      this.retries = 0;
      this.echoed = null;
      this.reopened = true;
      return { say: [LINES.sorry, prev.kind === 'name' ? `${questionFor(prev)} You can also spell it.` : questionFor(prev)], end: false };
    }
    if (keys === null && isAboutMe(text)) return { say: [LINES.whatAmI, questionFor(field)], end: false };
    const parsed = keys !== null ? this.fromKeys(field, keys, ctx) : parseAnswer(field, text, ctx);
    if (parsed === 'wait') return { say: [], end: false };
    if (!parsed) {
      this.echoed = null;
      return this.retry(field, keys === null && isOffTopic(text));
    }
    if (parsed.doubtful) {
      this.phase = { type: 'confirming', parsed };
      this.echoed = null;
      return { say: [confirmFor(field, parsed)], end: false };
    }
    return this.accept(field, parsed);
  }

  private onConfirm(text: string, keys: string | null, pending: Parsed): { say: string[]; end: boolean } {
    const field = this.current() as IntakeField;
    const yes = keys !== null ? (dtmfDigits(keys) === '1' ? true : dtmfDigits(keys) === '2' ? false : null) : parseYesNo(text);
    if (yes === true) return this.accept(field, pending);
    const ctx = this.ctx();
    const rest = keys === null ? afterNo(text) : null;
    const again = rest ? parseAnswer(field, rest, ctx) : yes === null && keys === null ? parseAnswer(field, text, ctx) : null;
    if (again) {
      if (!again.doubtful) return this.accept(field, again);
      this.phase = { type: 'confirming', parsed: again };
      return { say: [confirmFor(field, again)], end: false };
    }
    if (yes === false) {
      this.phase = { type: 'asking' };
      return this.retry(field, false, LINES.sorry);
    }
    // Neither yes, no, nor the value: answer it and ask again.
    return { say: [LINES.passOn, confirmFor(field, pending)], end: false };
  }

  /** Keypad input; `'wait'` while a phone number is still being typed in pieces. */
  private fromKeys(field: IntakeField, keys: string, ctx: ParseContext): Parsed | null | 'wait' {
    if (field.kind !== 'phone') return parseKeys(field, keys, ctx);
    if (keys.includes('*')) this.keyed = '';
    this.keyed += dtmfDigits(keys);
    const p = parseKeys(field, this.keyed, ctx);
    if (p || keys.endsWith('#') || this.keyed.length >= 15) {
      this.keyed = '';
      return p;
    }
    // Fewer digits than a phone number has, without a closing '#': the caller paused mid-number.
    return this.keyed.length > 0 && this.keyed.length < 10 ? 'wait' : null;
  }

  private accept(field: IntakeField, parsed: Parsed): { say: string[]; end: boolean } {
    this.values.set(pathKey(field.path), parsed);
    this.phase = { type: 'asking' };
    this.echoed = field;
    return this.next([echoFor(field, parsed)], true);
  }

  private retry(field: IntakeField, offTopic: boolean, lead?: string): { say: string[]; end: boolean } {
    this.retries += 1;
    if (this.retries > MAX_RETRIES) return this.next([offTopic ? LINES.passOn : LINES.notUnderstood, LINES.leaveBlank]);
    const hint = this.retries === MAX_RETRIES && (field.kind === 'phone' || field.kind === 'number' || field.kind === 'integer') ? ` ${LINES.keypad}` : '';
    const opening = lead ?? (offTopic ? LINES.passOn : this.retries === 1 ? LINES.notUnderstood : LINES.stillNotUnderstood);
    return { say: [opening, `${questionFor(field)}${hint}`], end: false };
  }

  /** Moves to the next field and asks it, or finishes. */
  private next(say: string[], echoOnly = false): { say: string[]; end: boolean } {
    this.index += 1;
    this.retries = 0;
    this.keyed = '';
    this.reopened = false;
    const f = this.current();
    // The summary reads every value back: the last answer is not echoed twice.
    if (!f) return this.finish(echoOnly ? ['Thanks.'] : say, true);
    return { say: [...say, questionFor(f)], end: false };
  }

  private finish(say: string[], readBack: boolean): { say: string[]; end: boolean } {
    this.phase = { type: 'done' };
    this.echoed = null;
    const filled = this.fields.filter((f) => this.values.has(pathKey(f.path))).map((f) => [f, this.values.get(pathKey(f.path)) as Parsed] as const);
    const silent = say.includes(LINES.silentGoodbye);
    return { say: silent ? say : [...say, ...(readBack ? [summary(filled)] : []), LINES.passedOn], end: true };
  }

  /** The question to repeat after a silence. */
  private prompt(): string {
    const f = this.current();
    if (this.phase.type === 'confirming' && f) return confirmFor(f, this.phase.parsed);
    return f ? questionFor(f) : LINES.passedOn;
  }

  private current(): IntakeField | null {
    return this.fields[this.index] ?? null;
  }
}

/** "Are you a robot?": the intake says what it is. */
function isAboutMe(text: string): boolean {
  return /\b(are you|is this) (a |an )?(real|human|person|robot|machine|computer|bot|ai|recording|automated)\b/i.test(text);
}

/** A question or request the form cannot answer ("what are your opening hours?"). */
function isOffTopic(text: string): boolean {
  return /^(what|when|where|why|how|who|can|could|do|does|did|is|are|will|would|should)\b/i.test(text.trim()) || text.trim().endsWith('?') || text.trim().split(/\s+/).length > 6;
}
