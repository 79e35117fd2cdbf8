/**
 * The LLM dialogue (`calls.md` → The voice loop, Tools): the agent's persona and instructions over
 * an `LlmProvider`, with the agent's tools. It owns the conversation history; after a barge-in the
 * history keeps only what the caller heard (STYLE rule 5, pipecat #4996), and a tool call of a
 * cancelled generation is never executed.
 */
import type { Clock } from '../core/clock.ts';
import { isAbortError } from '../core/errors.ts';
import { untilAborted } from '../providers/abortable.ts';
import type { LlmMessage, LlmProvider, LlmRequest, LlmToolCall, LlmToolSpec } from '../providers/llm.ts';
import type { RecognitionBias } from '../providers/stt.ts';
import type { Dialogue, DialogueDelta, DialogueInput, ToolRunner } from './dialogue.ts';
import { toolDefinitions, toolSpecs } from './tool-definitions.ts';

/** A reply may go model → tools → model … at most this many requests, so a looping model cannot hold the line. */
export const MAX_REQUESTS_PER_REPLY = 5;

/** Said when the request cap is reached without a word spoken: the agent never goes silent without a reason. */
const GAVE_UP = "I'm sorry, I couldn't get that done just now.";

/** The fixed English prompts; other languages ask the model for the same thing. */
const STILL_THERE = 'Are you still there?';
const SILENCE_GOODBYE = "I haven't heard from you, so I'll end the call now. Goodbye!";

export interface LlmDialogueOptions {
  readonly llm: LlmProvider;
  /** The call's config snapshot (`calls/snapshot.ts`): persona, instructions, first_message, tools, language, timezone, settings.model. */
  readonly snapshot: Readonly<Record<string, unknown>>;
  readonly clock: Clock;
  /** The caller's number (E.164) when known. */
  readonly callerNumber?: string | null;
  /** Who placed the call; the prompt says "the caller phoned you" or "you phoned them". */
  readonly direction?: 'inbound' | 'outbound';
}

/** The dialogue of one call over a language model. */
export class LlmDialogue implements Dialogue {
  readonly id: string;
  private readonly history: LlmMessage[] = [];
  private readonly tools: readonly LlmToolSpec[];
  private readonly s: Snapshot;
  /** Where the last reply's messages begin in `history` (for `heard`). */
  private replyStart = 0;
  private callerLastTurn = '';
  private silenceEnds = 0;

  constructor(private readonly o: LlmDialogueOptions) {
    this.id = o.llm.id;
    this.s = readSnapshot(o.snapshot);
    this.tools = toolSpecs(toolDefinitions(o.snapshot.tools));
  }

  expecting(): RecognitionBias {
    return { kind: 'general' };
  }

  filledFields(): null {
    return null;
  }

  /** The conversation as the next request will send it (tests and diagnostics). */
  messages(): readonly LlmMessage[] {
    return this.history;
  }

  /** The system prompt: persona, instructions, the call's context, how to end the call. */
  systemPrompt(): string {
    const when = formatNow(this.o.clock.now(), this.s.timezone);
    const who = this.o.direction === 'outbound' ? 'You placed this phone call' : 'The caller phoned you';
    const context = [
      `- ${who}${this.o.callerNumber ? ` (the caller's number is ${this.o.callerNumber})` : ''}. It is ${when}.`,
      '- Everything you write is spoken aloud by a voice on a phone line: answer in short spoken sentences, one or two at a time.',
      '  No markdown, lists, headings, emoji or links. Say numbers, dates and times the way a person says them.',
      `- Speak ${this.s.language}.`,
      '- Keypad presses reach you as [DTMF 1]. If you did not catch something, ask the caller to repeat it.',
      '- When the conversation is over, say a short goodbye and call the end_call tool in the same reply. Do not hang up while the caller still needs something.',
    ];
    return [this.s.persona, this.s.instructions, `Call context:\n${context.join('\n')}`].filter((p) => p && p.trim()).join('\n\n');
  }

  async *reply(input: DialogueInput, opts: { readonly signal: AbortSignal; readonly tools: ToolRunner }): AsyncGenerator<DialogueDelta> {
    this.replyStart = this.history.length;
    if (opts.signal.aborted) return;
    switch (input.type) {
      case 'call_start':
        if (this.s.firstMessage) yield* this.say(this.s.firstMessage);
        else yield* this.prompted('The call has just been answered. Greet the caller in one short sentence and offer your help.', opts);
        return;
      case 'caller_turn':
        this.callerLastTurn = input.text;
        this.history.push({ role: 'user', content: input.text });
        yield* this.generate(opts);
        return;
      case 'silence':
        if (input.count < 2) {
          if (this.english()) yield* this.say(STILL_THERE);
          else yield* this.prompted('The caller has said nothing for a while. Ask briefly whether they are still there.', opts);
          return;
        }
        if (this.english()) yield* this.say(SILENCE_GOODBYE);
        else yield* this.prompted('The caller has still said nothing. Say that you will end the call now, and goodbye, in one short sentence.', opts, false);
        if (opts.signal.aborted) return;
        try {
          await opts.tools.run({ id: `silence_end_call_${++this.silenceEnds}`, name: 'end_call', arguments: {} }, { signal: opts.signal, callerLastTurn: this.callerLastTurn });
        } catch (e) {
          if (!isAbortError(e) && !opts.signal.aborted) throw e;
        }
        return;
    }
  }

  heard(text: string, interrupted: boolean): void {
    if (!interrupted) return;
    // Keep only the played prefix of this reply's text, across its requests; tool calls and results
    // stay (they ran), assistant text the caller never heard goes.
    let budget = text;
    const kept: LlmMessage[] = [];
    for (const m of this.history.slice(this.replyStart)) {
      if (m.role !== 'assistant') {
        kept.push(m);
        continue;
      }
      const n = playedPrefixLength(m.content, budget);
      const content = m.content.slice(0, n).trimEnd();
      budget = budget.slice(consumed(m.content.slice(0, n), budget));
      if (content || m.toolCalls?.length) kept.push({ ...m, content });
    }
    this.history.splice(this.replyStart, this.history.length - this.replyStart, ...kept);
  }

  private english(): boolean {
    return /^en\b/i.test(this.s.language);
  }

  /** Fixed text: spoken verbatim, no model request. */
  private async *say(text: string): AsyncGenerator<DialogueDelta> {
    this.history.push({ role: 'assistant', content: text });
    yield { type: 'text', text };
  }

  /** A model reply to a stage direction that is sent once and not kept in the history. */
  private async *prompted(direction: string, opts: { signal: AbortSignal; tools: ToolRunner }, withTools = true): AsyncGenerator<DialogueDelta> {
    yield* this.generate(opts, { role: 'user', content: `[${direction}]` }, withTools);
  }

  /** The tool loop: stream, run the finished generation's tool calls in order, feed the results back. */
  private async *generate(opts: { signal: AbortSignal; tools: ToolRunner }, direction?: LlmMessage, withTools = true): AsyncGenerator<DialogueDelta> {
    const { signal } = opts;
    let spoke = false;
    for (let request = 1; request <= MAX_REQUESTS_PER_REPLY; request++) {
      const messages = direction ? [...this.history, direction] : [...this.history];
      const req: LlmRequest = {
        system: this.systemPrompt(),
        messages,
        ...(withTools && this.tools.length ? { tools: this.tools } : {}),
        ...(this.s.model ? { model: this.s.model } : {}),
      };
      let text = '';
      const calls: LlmToolCall[] = [];
      for await (const d of untilAborted(this.o.llm.complete(req, { signal }), signal)) {
        if (d.type === 'text') {
          if (!d.text) continue;
          text += d.text;
          spoke = true;
          yield { type: 'text', text: d.text };
        } else if (d.type === 'tool_call') calls.push(d.call);
      }
      if (signal.aborted) {
        // A cancelled generation: keep what it said (heard() cuts it to the played prefix); its tool calls never run.
        if (text) this.history.push({ role: 'assistant', content: text });
        return;
      }
      if (calls.length === 0 || request === MAX_REQUESTS_PER_REPLY) {
        if (text) this.history.push({ role: 'assistant', content: text });
        if (calls.length > 0 && !spoke) {
          this.history.push({ role: 'assistant', content: GAVE_UP });
          yield { type: 'text', text: GAVE_UP };
        }
        return;
      }
      const assistant = { role: 'assistant' as const, content: text, toolCalls: calls };
      this.history.push(assistant);
      const results: LlmMessage[] = [];
      for (const call of calls) {
        if (signal.aborted) break;
        try {
          const outcome = await opts.tools.run({ id: call.id, name: call.name, arguments: call.arguments }, { signal, callerLastTurn: this.callerLastTurn });
          results.push({ role: 'tool', toolCallId: call.id, name: call.name, result: outcome.result });
        } catch (e) {
          if (!isAbortError(e) && !signal.aborted) throw e;
          // It may have reached the tool's server before the caller cut in: the model must know.
          results.push({ role: 'tool', toolCallId: call.id, name: call.name, result: { error: 'cancelled: the caller interrupted' } });
          break;
        }
      }
      // Every tool call in the history has its result: calls that never ran are dropped from it.
      const ran = new Set(results.map((r) => (r.role === 'tool' ? r.toolCallId : '')));
      this.history[this.history.length - 1] = { ...assistant, toolCalls: calls.filter((c) => ran.has(c.id)) };
      if (ran.size === 0) {
        if (text) this.history[this.history.length - 1] = { role: 'assistant', content: text };
        else this.history.pop();
      }
      this.history.push(...results);
      if (signal.aborted) return;
    }
  }
}

interface Snapshot {
  persona: string;
  instructions: string;
  firstMessage: string;
  language: string;
  timezone: string;
  model: string | undefined;
}

function readSnapshot(s: Readonly<Record<string, unknown>>): Snapshot {
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const settings = (typeof s.settings === 'object' && s.settings !== null ? s.settings : {}) as Record<string, unknown>;
  return {
    persona: str(s.persona),
    instructions: str(s.instructions),
    firstMessage: str(s.first_message).trim(),
    language: str(s.language) || 'en-US',
    timezone: str(s.timezone) || 'UTC',
    model: str(settings.model) || undefined,
  };
}

/** "Tuesday, May 5, 2026 at 2:03 PM (America/New_York)"; UTC when the zone is unknown. */
function formatNow(ms: number, timeZone: string): string {
  const fmt = (tz: string): string => `${new Intl.DateTimeFormat('en-US', { timeZone: tz, dateStyle: 'full', timeStyle: 'short' }).format(ms)} (${tz})`;
  try {
    return fmt(timeZone);
  } catch {
    return fmt('UTC');
  }
}

/**
 * How much of `full` the caller heard, given the played text (whitespace may differ: the sentence
 * chunker trims and joins). Stops at the first character that does not match.
 */
function playedPrefixLength(full: string, played: string): number {
  let i = 0;
  let j = 0;
  let end = 0;
  while (i < full.length && j < played.length) {
    if (/\s/.test(full[i]!)) i++;
    else if (/\s/.test(played[j]!)) j++;
    else if (full[i] === played[j]) {
      i++;
      j++;
      end = i;
    } else break;
  }
  return end;
}

/** How many characters of `played` the heard prefix of a message used up. */
function consumed(prefix: string, played: string): number {
  const chars = prefix.replace(/\s+/g, '').length;
  let j = 0;
  for (let seen = 0; j < played.length && seen < chars; j++) if (!/\s/.test(played[j]!)) seen++;
  return j;
}
