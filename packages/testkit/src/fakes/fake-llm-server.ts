/**
 * What the fake LLM servers (`openai-server.ts`, `anthropic-server.ts`) share: a loopback HTTP
 * server on a free port, a queue of scripted replies, a record of every request, and a response
 * writer that can be slow, hang or drop the connection. Each vendor file turns a scripted reply
 * into its own wire format; nothing here knows our `LlmProvider` interface.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A tool call the fake model makes. */
export interface FakeToolCall {
  /** The vendor's id (`call_…`, `toolu_…`); generated when absent. */
  readonly id?: string;
  readonly name: string;
  /** The arguments object (serialised by the fake) or a raw JSON string. */
  readonly arguments: unknown;
}

/** One scripted answer of the fake model to one request. */
export interface FakeLlmReply {
  /** Streamed text, one piece per chunk (a single string is one chunk). */
  readonly text?: string | readonly string[];
  readonly toolCalls?: readonly FakeToolCall[];
  /**
   * For a structured-output request: the value to answer with. The fake serialises it the way the
   * vendor returns structured output (message content, or Anthropic's `json` tool).
   */
  readonly object?: unknown;
  /** Raw content for a structured-output request (e.g. invalid JSON); wins over `object`. */
  readonly rawContent?: string;
  readonly finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  /** Answer with this HTTP error status (and the vendor's error body) instead. */
  readonly status?: number;
  /** Sent as `retry-after-ms` with an error status, so clients retry at once in tests. */
  readonly retryAfterMs?: number;
  /** Wait this long before the response headers. */
  readonly latencyMs?: number;
  /** Answer only once this settles (a test holds the model "thinking" until it has looked around). */
  readonly waitFor?: Promise<unknown>;
  /** Wait this long between stream chunks (a slow token stream). */
  readonly chunkDelayMs?: number;
  /** After the content, keep the stream open and never finish it. */
  readonly hang?: boolean;
  /** Destroy the connection after this many content chunks (a mid-stream disconnect). */
  readonly disconnectAfterChunks?: number;
}

/** A request as the fake received it. */
export interface RecordedLlmRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: any;
}

/** The controls every fake LLM server offers a test. */
export interface FakeLlmServer {
  /** Base URL as the vendor's client expects it (`http://127.0.0.1:<port>/v1`). */
  readonly url: string;
  /** The key the server accepts; any other is a 401. */
  readonly apiKey: string;
  /** Every request, in order. */
  readonly requests: RecordedLlmRequest[];
  /** Queues replies for the next requests (FIFO). With the queue empty the fake answers `text: "ok"`. */
  reply(...replies: FakeLlmReply[]): void;
  /** Requests whose response is still open. */
  openResponses(): number;
  close(): Promise<void>;
}

/** Writes a response chunk by chunk with the reply's pacing, hang and disconnect behaviour. */
export class PacedWriter {
  private closed = false;
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly res: http.ServerResponse,
    private readonly reply: FakeLlmReply,
  ) {
    res.on('close', () => {
      this.closed = true;
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves after `ms`, or at once when the client went away. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
      this.res.once('close', () => resolve());
    });
  }

  /**
   * Writes `content` chunks then `trailer` chunks (finish markers). Honours `chunkDelayMs`,
   * `disconnectAfterChunks` (counted over content chunks) and `hang` (trailer never sent).
   */
  async stream(content: readonly string[], trailer: readonly string[]): Promise<void> {
    let sent = 0;
    for (const chunk of content) {
      if (this.closed) return;
      if (this.reply.disconnectAfterChunks !== undefined && sent >= this.reply.disconnectAfterChunks) {
        this.res.socket?.destroy();
        return;
      }
      if (sent > 0) await this.sleep(this.reply.chunkDelayMs ?? 0);
      if (this.closed) return;
      this.res.write(chunk);
      sent += 1;
    }
    if (this.reply.disconnectAfterChunks !== undefined && sent >= this.reply.disconnectAfterChunks) {
      this.res.socket?.destroy();
      return;
    }
    if (this.reply.hang) return; // the client must abort; close() ends it otherwise
    for (const chunk of trailer) if (!this.closed) this.res.write(chunk);
    if (!this.closed) this.res.end();
  }
}

/** One `event:`/`data:` Server-Sent Event (HTML Living Standard → server-sent events). */
export function sse(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

/** Splits a string into `parts` roughly equal pieces (at least one, none empty unless the string is). */
export function splitInto(s: string, parts: number): string[] {
  if (s.length === 0) return [''];
  const n = Math.max(1, Math.min(parts, s.length));
  const size = Math.ceil(s.length / n);
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

/** The reply's text as chunks. */
export function textChunks(reply: FakeLlmReply): string[] {
  if (reply.text === undefined) return [];
  return typeof reply.text === 'string' ? [reply.text] : [...reply.text];
}

/** A tool call's arguments as the JSON text the model writes. */
export function argumentsJson(call: FakeToolCall): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {});
}

/** The JSON text of a structured-output reply. */
export function structuredContent(reply: FakeLlmReply): string {
  return reply.rawContent ?? JSON.stringify(reply.object ?? {});
}

let counter = 0;
/** A vendor-looking unique id (`call_…`, `toolu_…`, `msg_…`). */
export function fakeId(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter.toString(36).padStart(4, '0')}`;
}

/**
 * Starts a loopback server that records each request (JSON body parsed) and hands it with the next
 * scripted reply to `handle`, after the reply's `latencyMs`.
 */
export async function startFakeLlmServer(opts: {
  apiKey: string;
  handle: (req: RecordedLlmRequest, reply: FakeLlmReply, res: http.ServerResponse, writer: PacedWriter) => Promise<void>;
}): Promise<FakeLlmServer> {
  const requests: RecordedLlmRequest[] = [];
  const queue: FakeLlmReply[] = [];
  let open = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // keep the raw text: the test will see what was sent
      }
      const recorded: RecordedLlmRequest = { method: req.method ?? 'GET', path: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      const reply = queue.shift() ?? { text: 'ok' };
      const writer = new PacedWriter(res, reply);
      open += 1;
      res.on('close', () => {
        open -= 1;
      });
      void (async () => {
        await writer.sleep(reply.latencyMs ?? 0);
        if (reply.waitFor) await reply.waitFor.catch(() => undefined);
        if (writer.isClosed) return;
        await opts.handle(recorded, reply, res, writer);
      })().catch(() => res.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey: opts.apiKey,
    requests,
    reply: (...replies) => void queue.push(...replies),
    openResponses: () => open,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON body with a status. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text).toString(), ...headers });
  res.end(text);
}
