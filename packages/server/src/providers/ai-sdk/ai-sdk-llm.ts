/**
 * The `LlmProvider` port over the Vercel AI SDK: one adapter for every vendor the SDK speaks
 * (`vendors.ts` builds the model for OpenAI chat completions, OpenAI-compatible servers and
 * Anthropic). `complete()` streams with tools declared but never executed here — the engine runs a
 * tool call and sends its result back in the next request; `generateObject()` asks for structured
 * output with a JSON Schema and returns what the model wrote, unvalidated (the caller validates).
 */
import { generateText, NoObjectGeneratedError, Output, jsonSchema, streamText, type FinishReason, type LanguageModel, type LanguageModelUsage } from 'ai';
import { untilAborted } from '../abortable.ts';
import type { GenerateObjectRequest, GenerateObjectResult, LlmDelta, LlmProvider, LlmRequest, LlmUsage } from '../llm.ts';
import { ProviderError } from '../provider-error.ts';
import { toModelMessages, toToolSet } from './model-messages.ts';
import { abortError, toProviderError } from './provider-errors.ts';

/** A vendor as the adapter needs it: its id, its default model, and how to build a model by id. */
export interface AiSdkVendor {
  /** `openai`, `openai-compatible`, `anthropic`. */
  readonly id: string;
  readonly defaultModel: string;
  languageModel(modelId: string): LanguageModel;
}

export interface AiSdkLlmOptions {
  /** The model used when a request names none; the vendor's default when absent. */
  readonly model?: string | undefined;
  /**
   * Retries of a failed request (429, 5xx, connection errors) with the SDK's exponential backoff
   * (2 s, 4 s…, or the vendor's `retry-after`). Auth errors are never retried.
   */
  readonly maxRetries?: number;
  /** A stream with no new output for this long (first token included) fails with `provider_timeout`. */
  readonly idleTimeoutMs?: number;
  /** `generateObject()` taking longer than this fails with `provider_timeout`. */
  readonly objectTimeoutMs?: number;
}

// Two retries is the SDK's own default: enough for a blip, bounded so a dead vendor fails a turn
// within seconds rather than minutes.
const DEFAULT_MAX_RETRIES = 2;
// Long enough for a cold self-hosted model's first token and the retries before it; short enough
// that a stalled stream ends the turn instead of leaving the caller in silence.
const DEFAULT_IDLE_TIMEOUT_MS = 20_000;
// Extraction answers within api.md's 60 s `extract` budget with one repair attempt: two requests.
const DEFAULT_OBJECT_TIMEOUT_MS = 28_000;

const FINISH: Record<FinishReason, Extract<LlmDelta, { type: 'finish' }>['reason']> = {
  stop: 'stop',
  length: 'length',
  'content-filter': 'content_filter',
  'tool-calls': 'tool_calls',
  error: 'other',
  interrupted: 'other',
  other: 'other',
};

/** An `LlmProvider` over one AI SDK vendor. */
export class AiSdkLlm implements LlmProvider {
  readonly id: string;
  readonly model: string;
  private readonly maxRetries: number;
  private readonly idleTimeoutMs: number;
  private readonly objectTimeoutMs: number;

  constructor(
    private readonly vendor: AiSdkVendor,
    opts: AiSdkLlmOptions = {},
  ) {
    this.id = vendor.id;
    this.model = opts.model ?? vendor.defaultModel;
    this.maxRetries = opts.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.objectTimeoutMs = opts.objectTimeoutMs ?? DEFAULT_OBJECT_TIMEOUT_MS;
  }

  async *complete(req: LlmRequest, opts: { readonly signal: AbortSignal }): AsyncIterable<LlmDelta> {
    const { signal } = opts;
    if (signal.aborted) return;
    // A watchdog of our own (real time at the edge): the SDK's timeouts would surface as aborts,
    // indistinguishable from the caller's barge-in.
    const watchdog = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => watchdog.abort(), this.idleTimeoutMs);
    };
    const both = AbortSignal.any([signal, watchdog.signal]);
    const modelId = req.model ?? this.model;
    try {
      arm();
      const result = streamText({
        model: this.vendor.languageModel(modelId),
        instructions: req.system,
        messages: toModelMessages(req.messages),
        tools: toToolSet(req.tools),
        ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
        ...(req.maxOutputTokens !== undefined ? { maxOutputTokens: req.maxOutputTokens } : {}),
        maxRetries: this.maxRetries,
        abortSignal: both,
        // Errors arrive as `error` parts below; the default handler would print them to the console.
        onError: () => {},
      });
      for await (const part of untilAborted(result.fullStream, both)) {
        arm();
        switch (part.type) {
          case 'text-delta':
            if (part.text) yield { type: 'text', text: part.text };
            break;
          case 'tool-call':
            yield { type: 'tool_call', call: { id: part.toolCallId, name: part.toolName, arguments: part.input } };
            break;
          case 'finish':
            yield { type: 'finish', reason: FINISH[part.finishReason], ...usageOf(part.totalUsage) };
            return;
          case 'error':
            throw part.error;
          case 'abort':
            // Ours: the caller's or the watchdog's; decided after the loop.
            break;
          default:
            break;
        }
        if (both.aborted) break;
      }
    } catch (e) {
      if (signal.aborted) return;
      if (!watchdog.signal.aborted) throw toProviderError(e, this.id);
    } finally {
      clearTimeout(timer);
    }
    if (signal.aborted) return;
    if (watchdog.signal.aborted) throw new ProviderError(`${this.id} sent nothing for ${this.idleTimeoutMs} ms (model ${modelId})`, 'provider_timeout', this.id, { retryable: true });
    // The stream ended without a finish part (a connection that closed early).
    throw new ProviderError(`${this.id} ended the stream before finishing (model ${modelId})`, 'provider_unavailable', this.id, { retryable: true });
  }

  async generateObject(req: GenerateObjectRequest, opts: { readonly signal: AbortSignal }): Promise<GenerateObjectResult> {
    const { signal } = opts;
    if (signal.aborted) throw abortError(signal);
    const timeout = AbortSignal.timeout(this.objectTimeoutMs);
    const modelId = req.model ?? this.model;
    try {
      const r = await generateText({
        model: this.vendor.languageModel(modelId),
        instructions: req.system,
        prompt: req.prompt,
        output: Output.object({ schema: jsonSchema<unknown>(req.schema), ...(req.schemaName ? { name: req.schemaName } : {}) }),
        maxRetries: this.maxRetries,
        abortSignal: AbortSignal.any([signal, timeout]),
      });
      return { object: r.output, model: r.response.modelId || modelId, ...usageOf(r.usage) };
    } catch (e) {
      if (signal.aborted) throw abortError(signal);
      if (timeout.aborted) throw new ProviderError(`${this.id} did not answer within ${this.objectTimeoutMs} ms (model ${modelId})`, 'provider_timeout', this.id, { retryable: true, cause: e });
      // The model answered, but not with JSON: the caller's validation and repair deal with it.
      if (NoObjectGeneratedError.isInstance(e)) return { object: undefined, text: e.text ?? '', model: e.response?.modelId || modelId };
      throw toProviderError(e, this.id);
    }
  }
}

function usageOf(u: LanguageModelUsage | undefined): { usage?: LlmUsage } {
  if (!u) return {};
  const usage: { inputTokens?: number; outputTokens?: number } = {};
  if (u.inputTokens !== undefined) usage.inputTokens = u.inputTokens;
  if (u.outputTokens !== undefined) usage.outputTokens = u.outputTokens;
  return { usage };
}
