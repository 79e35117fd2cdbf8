/**
 * A local fake of OpenAI's Chat Completions API (`POST /v1/chat/completions`), speaking the wire
 * format OpenAI documents (platform.openai.com/docs/api-reference/chat): `stream: true` answers as
 * Server-Sent Events of `chat.completion.chunk` objects — role first, content deltas, `tool_calls`
 * deltas whose `function.arguments` arrive split across chunks (id and name only in the first),
 * a chunk with `finish_reason`, an optional usage chunk with empty `choices`, then `data: [DONE]`;
 * otherwise one `chat.completion` JSON object (how `response_format: {type: "json_schema"}`
 * structured output comes back). A wrong `Authorization: Bearer` key is a 401 with
 * `invalid_api_key`. OpenAI-compatible servers (Ollama, vLLM, llama.cpp) speak the same protocol.
 */
import type http from 'node:http';
import {
  argumentsJson, fakeId, sendJson, splitInto, sse, startFakeLlmServer, structuredContent, textChunks,
  type FakeLlmReply, type FakeLlmServer, type PacedWriter, type RecordedLlmRequest,
} from './fake-llm-server.ts';

export type { FakeLlmReply, FakeLlmServer, FakeToolCall, RecordedLlmRequest } from './fake-llm-server.ts';

// How many pieces a tool call's arguments are split into: enough that a client which reads only
// the first arguments delta (or parses each delta on its own) fails.
const ARGUMENT_PIECES = 3;

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeOpenAiServer(opts: { apiKey?: string } = {}): Promise<FakeLlmServer> {
  const apiKey = opts.apiKey ?? 'sk-test-openai';
  return startFakeLlmServer({
    apiKey,
    handle: async (req, reply, res, writer) => {
      if (req.method !== 'POST' || req.path.split('?')[0] !== '/v1/chat/completions') {
        return sendJson(res, 404, openAiError(`Invalid URL (${req.method} ${req.path})`, 'invalid_request_error', null));
      }
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        const given = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
        return sendJson(res, 401, openAiError(`Incorrect API key provided: ${given.slice(0, 6)}***. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key'));
      }
      if (reply.status !== undefined) return sendError(res, reply);
      const body = (req.body ?? {}) as { stream?: boolean; model?: string; response_format?: { type?: string }; stream_options?: { include_usage?: boolean } };
      if (body.stream) await streamCompletion(body, reply, res, writer);
      else sendJson(res, 200, completion(body, reply), { 'x-request-id': fakeId('req_') });
    },
  });
}

function openAiError(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } };
}

function sendError(res: http.ServerResponse, reply: FakeLlmReply): void {
  const status = reply.status!;
  const headers: Record<string, string> = reply.retryAfterMs !== undefined ? { 'retry-after-ms': String(reply.retryAfterMs) } : {};
  const body =
    status === 429 ? openAiError('Rate limit reached for requests', 'requests', 'rate_limit_exceeded')
    : status === 401 ? openAiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key')
    : status === 403 ? openAiError('You are not allowed to sample from this model', 'invalid_request_error', 'model_not_allowed')
    : status >= 500 ? openAiError('The server had an error while processing your request. Sorry about that!', 'server_error', null)
    : openAiError('Bad request', 'invalid_request_error', null);
  sendJson(res, status, body, headers);
}

function isStructured(body: { response_format?: { type?: string } }): boolean {
  return body.response_format?.type === 'json_schema' || body.response_format?.type === 'json_object';
}

function finishReason(reply: FakeLlmReply): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? 'tool_calls' : 'stop');
}

function usage(reply: FakeLlmReply) {
  const completionTokens = textChunks(reply).length + (reply.toolCalls?.length ?? 0) * 5 + 1;
  return { prompt_tokens: 11, completion_tokens: completionTokens, total_tokens: 11 + completionTokens };
}

/** The non-streamed `chat.completion` object. */
function completion(body: { model?: string; response_format?: { type?: string } }, reply: FakeLlmReply) {
  const content = isStructured(body) ? structuredContent(reply) : reply.text === undefined ? null : textChunks(reply).join('');
  const toolCalls = reply.toolCalls?.map((c) => ({ id: c.id ?? fakeId('call_'), type: 'function', function: { name: c.name, arguments: argumentsJson(c) } }));
  return {
    id: fakeId('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model ?? 'gpt-4o-mini',
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null, ...(toolCalls?.length ? { tool_calls: toolCalls } : {}) }, logprobs: null, finish_reason: finishReason(reply) }],
    usage: usage(reply),
  };
}

/** The streamed answer: `chat.completion.chunk` events and `[DONE]`. */
async function streamCompletion(body: { model?: string; response_format?: { type?: string }; stream_options?: { include_usage?: boolean } }, reply: FakeLlmReply, res: http.ServerResponse, writer: PacedWriter): Promise<void> {
  const id = fakeId('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const model = body.model ?? 'gpt-4o-mini';
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    sse({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });

  const content: string[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  const pieces = isStructured(body) ? splitInto(structuredContent(reply), 4) : textChunks(reply);
  for (const text of pieces) content.push(chunk({ content: text }));
  for (const [index, call] of (reply.toolCalls ?? []).entries()) {
    const callId = call.id ?? fakeId('call_');
    // First delta: id, type, name and empty arguments; then the arguments in pieces (index only).
    content.push(chunk({ tool_calls: [{ index, id: callId, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of splitInto(argumentsJson(call), ARGUMENT_PIECES)) content.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  }
  const trailer = [chunk({}, finishReason(reply))];
  if (body.stream_options?.include_usage) trailer.push(sse({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake', choices: [], usage: usage(reply) }));
  trailer.push(sse('[DONE]'));

  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': fakeId('req_') });
  await writer.stream(content, trailer);
}

/** What a recorded chat completions request carried, read the way OpenAI defines the fields. */
export const openAiWire = {
  system: (req: RecordedLlmRequest): string | undefined => messagesOf(req).find((m) => m.role === 'system' || m.role === 'developer')?.content,
  toolNames: (req: RecordedLlmRequest): string[] => ((req.body?.tools ?? []) as Array<{ function: { name: string } }>).map((t) => t.function.name),
  /** Tool calls of the assistant turns sent back in the history. */
  assistantToolCalls: (req: RecordedLlmRequest) =>
    messagesOf(req).flatMap((m) => (m.role === 'assistant' && Array.isArray(m.tool_calls) ? m.tool_calls : []))
      .map((c: { id: string; function: { name: string; arguments: string } }) => ({ id: c.id, name: c.function.name, arguments: JSON.parse(c.function.arguments) as unknown })),
  /** Tool results (`role: "tool"` messages), content parsed as JSON when it is JSON. */
  toolResults: (req: RecordedLlmRequest) => messagesOf(req).filter((m) => m.role === 'tool').map((m) => ({ toolCallId: m.tool_call_id as string, content: parseMaybe(m.content) })),
  userTexts: (req: RecordedLlmRequest): string[] => messagesOf(req).filter((m) => m.role === 'user').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))),
  /** True when the request asked for JSON-schema structured output. */
  structured: (req: RecordedLlmRequest): boolean => req.body?.response_format?.type === 'json_schema',
  schema: (req: RecordedLlmRequest): unknown => req.body?.response_format?.json_schema?.schema,
};

function messagesOf(req: RecordedLlmRequest): Array<Record<string, any>> {
  return (req.body?.messages ?? []) as Array<Record<string, any>>;
}

function parseMaybe(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
