/**
 * The dialogue port: the "LLM with tools" stage of the voice loop (`calls.md` → The voice loop).
 * Two implementations: `LlmDialogue` (an `LlmProvider` with the agent's tools) and the offline
 * `IntakeDialogue` (`engine/intake/`, the deterministic form-filler of `providers.md` → `local`).
 *
 * The dialogue owns the conversation history. The engine tells it what happened on the line
 * (`DialogueInput`), streams its reply (`DialogueDelta`) to the sentence chunker and TTS, and
 * afterwards reports what the caller really heard (`heard`) — after a barge-in only a prefix, so
 * the history never holds text the caller did not hear (STYLE rule 5).
 */
import type { RecognitionBias } from '../providers/stt.ts';

/** What the dialogue is asked to answer. */
export type DialogueInput =
  /** The call was answered: say the first message (or a greeting). */
  | { readonly type: 'call_start' }
  /** The caller finished a turn. `source: 'dtmf'` text is `[DTMF 1]`-style, digits in order. */
  | { readonly type: 'caller_turn'; readonly text: string; readonly source: 'speech' | 'dtmf'; readonly confidence?: number }
  /** The caller said nothing for `silence_timeout_ms`; `count` is 1 for the first prompt, 2 for the second. */
  | { readonly type: 'silence'; readonly count: number };

/** A piece of the agent's reply, in order. */
export type DialogueDelta =
  /** Text to speak (any size: a token, a sentence). */
  | { readonly type: 'text'; readonly text: string };

/** A tool call the dialogue wants executed, as the engine's tool runner receives it. */
export interface ToolInvocation {
  /** Unique per model request (`call_…`); the HTTP tool's `Idempotency-Key`. */
  readonly id: string;
  readonly name: string;
  readonly arguments: unknown;
}

/** The outcome fed back to the model: the tool's JSON answer, or `{ error }` / `{ status: "confirmation_required" }`. */
export interface ToolOutcome {
  readonly result: unknown;
  readonly status: 'ok' | 'error' | 'skipped';
}

/**
 * Executes tools for the dialogue: HTTP tools (signed, SSRF-guarded, timed out) and the built-ins
 * (`end_call` ends the call after the current reply has been played, `send_dtmf`, `transfer_call`).
 * Journals each execution on the call's events. Never throws for a tool's failure: the failure is
 * the outcome. Rejects only with an AbortError when the signal aborted.
 */
export interface ToolRunner {
  run(call: ToolInvocation, opts: { readonly signal: AbortSignal; readonly callerLastTurn: string }): Promise<ToolOutcome>;
}

export interface Dialogue {
  /** `local` (the intake dialogue) or the LLM provider's id. */
  readonly id: string;
  /** What the recogniser should expect in the caller's next turn (grammar, keywords or general). */
  expecting(): RecognitionBias;
  /**
   * Streams the agent's reply to `input`. Tool calls are executed through `tools` inside the
   * reply (the dialogue continues after their results). Aborting the signal (barge-in) ends the
   * stream quietly; a tool call requested by an aborted generation is never executed.
   */
  reply(input: DialogueInput, opts: { readonly signal: AbortSignal; readonly tools: ToolRunner }): AsyncIterable<DialogueDelta>;
  /** What the caller actually heard of the last reply (all of it, or the played prefix after a barge-in). */
  heard(text: string, interrupted: boolean): void;
  /**
   * Field values the dialogue itself established (the intake dialogue's confirmed slots), for the
   * offline extraction; `null` when it does not fill slots (an LLM dialogue).
   */
  filledFields(): Record<string, unknown> | null;
}
