/**
 * The vendors the AI SDK adapter speaks to (`providers.md` → Cloud and self-hosted providers), each
 * built from a key and an optional base URL. Keys and URLs are always passed explicitly: the
 * vendors' packages would otherwise read `OPENAI_API_KEY`/`ANTHROPIC_BASE_URL` from the environment
 * themselves, and `config/` is the only reader of the environment.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { AiSdkVendor } from './ai-sdk-llm.ts';

/** A vendor's key and base URL (`config.providers.openai`, `config.providers.anthropic`). */
export interface VendorEndpoint {
  readonly apiKey: string | undefined;
  readonly baseUrl: string | undefined;
}

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
const ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';

// Defaults when CALLINGBOX_LLM_MODEL is unset: small, fast models that support tool calls and
// JSON-schema structured output, which is all a phone turn and an extraction need.
const OPENAI_DEFAULT_MODEL = 'gpt-4o-mini';
const ANTHROPIC_DEFAULT_MODEL = 'claude-haiku-4-5';
// Ollama's name for a small local model with tool calling; vLLM and llama.cpp ignore or map it.
const OPENAI_COMPATIBLE_DEFAULT_MODEL = 'llama3.1';

/** OpenAI through the Chat Completions API (`POST {base}/chat/completions`). */
export function openAiVendor(endpoint: VendorEndpoint): AiSdkVendor {
  const openai = createOpenAI({ apiKey: endpoint.apiKey ?? '', baseURL: endpoint.baseUrl ?? OPENAI_BASE_URL });
  return { id: 'openai', defaultModel: OPENAI_DEFAULT_MODEL, languageModel: (id) => openai.chat(id) };
}

/**
 * A self-hosted server with OpenAI's chat completions protocol (Ollama, vLLM, llama.cpp server,
 * LocalAI) at `baseUrl` (e.g. `http://localhost:11434/v1`); the key is optional. Structured output
 * is requested as `response_format: {type: "json_schema"}`, which all of them accept.
 */
export function openAiCompatibleVendor(endpoint: VendorEndpoint): AiSdkVendor {
  const provider = createOpenAICompatible({
    name: 'openai-compatible',
    baseURL: endpoint.baseUrl ?? 'http://localhost:11434/v1',
    ...(endpoint.apiKey ? { apiKey: endpoint.apiKey } : {}),
    supportsStructuredOutputs: true,
    includeUsage: true,
  });
  return { id: 'openai-compatible', defaultModel: OPENAI_COMPATIBLE_DEFAULT_MODEL, languageModel: (id) => provider.chatModel(id) };
}

/**
 * Anthropic's Messages API. `ANTHROPIC_BASE_URL` follows Anthropic's own SDK (the host, without
 * `/v1`); a URL that already ends in `/v1` is taken as it is.
 */
export function anthropicVendor(endpoint: VendorEndpoint): AiSdkVendor {
  const base = endpoint.baseUrl ? withV1(endpoint.baseUrl) : ANTHROPIC_BASE_URL;
  const anthropic = createAnthropic({ apiKey: endpoint.apiKey ?? '', baseURL: base });
  return { id: 'anthropic', defaultModel: ANTHROPIC_DEFAULT_MODEL, languageModel: (id) => anthropic.messages(id) };
}

function withV1(url: string): string {
  const u = url.replace(/\/+$/, '');
  return /\/v1$/.test(u) ? u : `${u}/v1`;
}
