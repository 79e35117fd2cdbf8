/**
 * The language-model port (`providers.md`): the dialogue streams a reply with tool calls through
 * `complete()`; post-call extraction asks for one JSON object matching a schema through
 * `generateObject()`. Adapters: the AI SDK over OpenAI-compatible servers and Anthropic
 * (`providers/ai-sdk/`). The offline `local` dialogue is not an LLM and does not implement this port
 * (it is an `engine/dialogue.ts` implementation of its own).
 *
 * Tools are declared, never executed here: the engine executes a tool call (at most once per
 * model request, journaled, policy-checked) and sends the result back in the next request.
 */

/** A JSON Schema object (draft 2020-12 subset the vendors accept). */
export type JsonSchema = Record<string, unknown>;

export interface LlmToolSpec {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the arguments object. */
  readonly parameters: JsonSchema;
}

export interface LlmToolCall {
  /** The provider's id for this call (`call_…`, `toolu_…`); the engine uses it as the Idempotency-Key. */
  readonly id: string;
  readonly name: string;
  readonly arguments: unknown;
}

export type LlmMessage =
  | { readonly role: 'user'; readonly content: string }
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly LlmToolCall[] }
  | { readonly role: 'tool'; readonly toolCallId: string; readonly name: string; readonly result: unknown };

export interface LlmRequest {
  /** The system prompt (persona + instructions + call context). */
  readonly system: string;
  readonly messages: readonly LlmMessage[];
  readonly tools?: readonly LlmToolSpec[];
  /** Model id; the adapter's configured default when absent. */
  readonly model?: string;
  readonly temperature?: number;
  readonly maxOutputTokens?: number;
}

export interface LlmUsage {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
}

/** A piece of a streamed reply. `finish` is always last unless the stream is aborted (then it ends quietly). */
export type LlmDelta =
  | { readonly type: 'text'; readonly text: string }
  /** A complete tool call (arguments parsed); emitted once the model finished writing it. */
  | { readonly type: 'tool_call'; readonly call: LlmToolCall }
  | { readonly type: 'finish'; readonly reason: 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'other'; readonly usage?: LlmUsage };

export interface GenerateObjectRequest {
  readonly system: string;
  readonly prompt: string;
  /** The object's JSON Schema (a `type: "object"` schema). */
  readonly schema: JsonSchema;
  readonly schemaName?: string;
  readonly model?: string;
}

export interface GenerateObjectResult {
  /** The parsed JSON value the model produced (not yet validated against the schema by the caller). */
  readonly object: unknown;
  /** The model that answered, as the vendor names it. */
  readonly model: string;
  readonly usage?: LlmUsage;
  /** The model's raw answer when it was not parseable JSON (`object` is then `undefined`), for a repair prompt. */
  readonly text?: string;
}

/**
 * A language model. Errors are `ProviderError`s (`provider_auth` for a rejected key — raised within
 * seconds, never a hang; `provider_unavailable`, `provider_timeout`). An aborted signal ends
 * `complete()` quietly and rejects `generateObject()` with an AbortError.
 */
export interface LlmProvider {
  /** `openai`, `openai-compatible`, `anthropic`. */
  readonly id: string;
  /** The default model id. */
  readonly model: string;
  complete(req: LlmRequest, opts: { readonly signal: AbortSignal }): AsyncIterable<LlmDelta>;
  generateObject(req: GenerateObjectRequest, opts: { readonly signal: AbortSignal }): Promise<GenerateObjectResult>;
}
