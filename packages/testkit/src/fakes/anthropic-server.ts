/**
 * A local fake of Anthropic's Messages API (`POST /v1/messages`), speaking the wire format Anthropic
 * documents (docs.anthropic.com → Messages, Streaming Messages): with `stream: true`, named
 * Server-Sent Events `message_start`, `ping`, then per content block `content_block_start`,
 * `content_block_delta` (`text_delta` for text, `input_json_delta` with `partial_json` pieces for
 * `tool_use`), `content_block_stop`, then `message_delta` (stop_reason, usage) and `message_stop`;
 * otherwise one `message` JSON object. Structured output comes back the way the request asked for
 * it: as JSON text under `output_config.format` (native structured outputs) or as a `tool_use`
 * of the forced `json` tool. A wrong `x-api-key` is a 401 `authentication_error`.
 */
import type http from 'node:http';
import {
  argumentsJson, fakeId, sendJson, splitInto, sse, startFakeLlmServer, structuredContent, textChunks,
  type FakeLlmReply, type FakeLlmServer, type PacedWriter, type RecordedLlmRequest,
} from './fake-llm-server.ts';

export type { FakeLlmReply, FakeLlmServer, FakeToolCall, RecordedLlmRequest } from './fake-llm-server.ts';

const ARGUMENT_PIECES = 3;

interface MessagesBody {
  model?: string;
  stream?: boolean;
  tools?: Array<{ name: string }>;
  tool_choice?: { type: string; name?: string };
  output_config?: { format?: { type?: string } };
}

type Block = { type: 'text'; text: string[] } | { type: 'tool_use'; id: string; name: string; input: unknown; json: string };

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeAnthropicServer(opts: { apiKey?: string } = {}): Promise<FakeLlmServer> {
  const apiKey = opts.apiKey ?? 'sk-ant-test';
  return startFakeLlmServer({
    apiKey,
    handle: async (req, reply, res, writer) => {
      if (req.method !== 'POST' || req.path.split('?')[0] !== '/v1/messages') {
        return sendJson(res, 404, anthropicError('not_found_error', `Not found: ${req.method} ${req.path}`));
      }
      if (req.headers['x-api-key'] !== apiKey) return sendJson(res, 401, anthropicError('authentication_error', 'invalid x-api-key'), { 'request-id': fakeId('req_') });
      if (!req.headers['anthropic-version']) return sendJson(res, 400, anthropicError('invalid_request_error', 'anthropic-version: header is required'));
      if (reply.status !== undefined) return sendError(res, reply);
      const body = (req.body ?? {}) as MessagesBody;
      const blocks = contentBlocks(body, reply);
      if (body.stream) await streamMessage(body, reply, blocks, res, writer);
      else sendJson(res, 200, message(body, reply, blocks), { 'request-id': fakeId('req_') });
    },
  });
}

function anthropicError(type: string, message: string) {
  return { type: 'error', error: { type, message } };
}

function sendError(res: http.ServerResponse, reply: FakeLlmReply): void {
  const status = reply.status!;
  const [type, msg] =
    status === 401 ? ['authentication_error', 'invalid x-api-key']
    : status === 403 ? ['permission_error', 'Your API key does not have permission to use the specified resource.']
    : status === 429 ? ['rate_limit_error', 'Number of requests has exceeded your rate limit']
    : status === 529 ? ['overloaded_error', 'Overloaded']
    : status >= 500 ? ['api_error', 'Internal server error']
    : ['invalid_request_error', 'Bad request'];
  sendJson(res, status, anthropicError(type, msg), reply.retryAfterMs !== undefined ? { 'retry-after-ms': String(reply.retryAfterMs) } : {});
}

/** The content blocks of the answer: structured output, text, tool uses. */
function contentBlocks(body: MessagesBody, reply: FakeLlmReply): Block[] {
  if (body.output_config?.format?.type === 'json_schema') return [{ type: 'text', text: splitInto(structuredContent(reply), 4) }];
  const jsonTool = body.tool_choice?.type === 'tool' && body.tool_choice.name === 'json' || (body.tool_choice?.type === 'any' && body.tools?.some((t) => t.name === 'json'));
  if (jsonTool) {
    const json = structuredContent(reply);
    return [{ type: 'tool_use', id: fakeId('toolu_'), name: 'json', input: safeParse(json), json }];
  }
  const blocks: Block[] = [];
  const text = textChunks(reply);
  if (text.length) blocks.push({ type: 'text', text });
  for (const call of reply.toolCalls ?? []) {
    const json = argumentsJson(call);
    blocks.push({ type: 'tool_use', id: call.id ?? fakeId('toolu_'), name: call.name, input: safeParse(json), json });
  }
  return blocks;
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return {};
  }
}

function stopReason(reply: FakeLlmReply, blocks: Block[]): string {
  if (reply.finishReason === 'length') return 'max_tokens';
  if (reply.finishReason === 'content_filter') return 'refusal';
  return blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
}

function message(body: MessagesBody, reply: FakeLlmReply, blocks: Block[]) {
  return {
    id: fakeId('msg_'),
    type: 'message',
    role: 'assistant',
    model: body.model ?? 'claude-sonnet-4-5',
    content: blocks.map((b) => (b.type === 'text' ? { type: 'text', text: b.text.join('') } : { type: 'tool_use', id: b.id, name: b.name, input: b.input })),
    stop_reason: stopReason(reply, blocks),
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 7 },
  };
}

async function streamMessage(body: MessagesBody, reply: FakeLlmReply, blocks: Block[], res: http.ServerResponse, writer: PacedWriter): Promise<void> {
  const start = message(body, reply, []);
  const content: string[] = [
    sse({ type: 'message_start', message: { ...start, content: [], stop_reason: null, usage: { input_tokens: 12, output_tokens: 1 } } }, 'message_start'),
    sse({ type: 'ping' }, 'ping'),
  ];
  for (const [index, b] of blocks.entries()) {
    if (b.type === 'text') {
      content.push(sse({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }, 'content_block_start'));
      for (const text of b.text) content.push(sse({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } }, 'content_block_delta'));
    } else {
      content.push(sse({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } }, 'content_block_start'));
      for (const piece of splitInto(b.json, ARGUMENT_PIECES)) content.push(sse({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }, 'content_block_delta'));
    }
    content.push(sse({ type: 'content_block_stop', index }, 'content_block_stop'));
  }
  const trailer = [
    sse({ type: 'message_delta', delta: { stop_reason: stopReason(reply, blocks), stop_sequence: null }, usage: { output_tokens: 7 } }, 'message_delta'),
    sse({ type: 'message_stop' }, 'message_stop'),
  ];
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'request-id': fakeId('req_') });
  await writer.stream(content, trailer);
}

/** What a recorded Messages API request carried, read the way Anthropic defines the fields. */
export const anthropicWire = {
  system: (req: RecordedLlmRequest): string | undefined => {
    const s: unknown = req.body?.system;
    return typeof s === 'string' ? s : Array.isArray(s) ? s.map((b: { text?: string }) => b.text ?? '').join('') : undefined;
  },
  toolNames: (req: RecordedLlmRequest): string[] => ((req.body?.tools ?? []) as Array<{ name: string }>).map((t) => t.name),
  /** `tool_use` blocks of the assistant turns sent back in the history. */
  assistantToolCalls: (req: RecordedLlmRequest) =>
    blocksOf(req, 'assistant').filter((b) => b.type === 'tool_use').map((b) => ({ id: b.id as string, name: b.name as string, arguments: b.input as unknown })),
  /** `tool_result` blocks of the user turns, content parsed as JSON when it is JSON. */
  toolResults: (req: RecordedLlmRequest) =>
    blocksOf(req, 'user').filter((b) => b.type === 'tool_result').map((b) => ({ toolCallId: b.tool_use_id as string, content: parseMaybe(resultText(b.content)) })),
  userTexts: (req: RecordedLlmRequest): string[] => blocksOf(req, 'user').filter((b) => b.type === 'text').map((b) => b.text as string),
  /** True when the request asked for structured output (native `output_config.format` or the forced `json` tool). */
  structured: (req: RecordedLlmRequest): boolean => req.body?.output_config?.format?.type === 'json_schema' || req.body?.tool_choice?.name === 'json',
  schema: (req: RecordedLlmRequest): unknown => req.body?.output_config?.format?.schema ?? (req.body?.tools as Array<{ name: string; input_schema: unknown }> | undefined)?.find((t) => t.name === 'json')?.input_schema,
};

function blocksOf(req: RecordedLlmRequest, role: 'user' | 'assistant'): Array<Record<string, any>> {
  const messages = (req.body?.messages ?? []) as Array<{ role: string; content: unknown }>;
  return messages.filter((m) => m.role === role).flatMap((m) => (typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : (m.content as Array<Record<string, any>>)));
}

function resultText(content: unknown): unknown {
  if (Array.isArray(content)) return content.map((c: { text?: string }) => c.text ?? '').join('');
  return content;
}

function parseMaybe(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
