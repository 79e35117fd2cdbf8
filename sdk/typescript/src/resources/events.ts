import { APIConnectionError } from '../errors.js';
import { sleep } from '../internal/backoff.js';
import { type SseMessage, SseParser } from '../internal/sse-parser.js';
import type { RequestOptions, Transport } from '../internal/transport.js';
import type { LiveEvent } from '../types.js';
import { APIResource } from './resource.js';

/** Wait before reconnecting when the server sent no `retry:` (the EventSource default is ~3 s; 1 s keeps dashboards lively). */
export const DEFAULT_RECONNECT_DELAY_MS = 1_000;

/** The server sends a comment every 15 s; three missed in a row means the connection is dead. */
export const DEFAULT_IDLE_TIMEOUT_MS = 45_000;

/** Options of {@link Events.stream}. */
export interface EventStreamParams {
  /** Reconnect when nothing (not even a keep-alive) arrived for this long (default 45 000). */
  idleTimeoutMs?: number;
  /** Resume after this call event id (`cev_…`): the server replays what came after it (kept 24 h). */
  lastEventId?: string;
  /** Reconnect, with `Last-Event-ID`, when the connection drops (default true). */
  reconnect?: boolean;
}

function toLiveEvent(message: SseMessage): LiveEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.data);
  } catch {
    parsed = undefined;
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const envelope = parsed as Partial<LiveEvent>;
    return { ...envelope, id: message.id, event: message.event, type: envelope.type ?? message.event } as LiveEvent;
  }
  return { id: message.id, event: message.event, type: message.event, data: message.data } as unknown as LiveEvent;
}

/**
 * The organisation's live call events, as an async iterable. Breaking out of the loop (or
 * aborting `options.signal`) closes the connection; {@link lastEventId} says where to resume.
 */
export class EventStream implements AsyncIterable<LiveEvent> {
  /** Id of the last event received; reconnections (and a new iteration) send it as `Last-Event-ID`. */
  lastEventId: string | undefined;
  private controller: AbortController | undefined;
  private closed = false;

  constructor(
    private readonly transport: Transport,
    private readonly maxRetries: number,
    private readonly params: EventStreamParams,
    private readonly options: RequestOptions | undefined,
  ) {
    this.lastEventId = params.lastEventId;
  }

  /** Closes the connection; a running `for await` ends quietly, and so does any later one. */
  close(): void {
    this.closed = true;
    this.controller?.abort();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<LiveEvent, void, undefined> {
    // Each iteration has its own connection; iterating again resumes after lastEventId.
    const controller = new AbortController();
    this.controller = controller;
    const userSignal = this.options?.signal;
    const onUserAbort = (): void => controller.abort(userSignal?.reason);
    if (this.closed || userSignal?.aborted) controller.abort(userSignal?.reason);
    userSignal?.addEventListener('abort', onUserAbort, { once: true });
    const signal = controller.signal;
    let failures = 0;
    try {
      while (!signal.aborted) {
        const headers: Record<string, string> = { ...this.options?.headers };
        if (this.lastEventId !== undefined) headers['Last-Event-ID'] = this.lastEventId;
        let response: Response;
        try {
          ({ response } = await this.transport.request<undefined>({
            method: 'GET',
            path: '/v1/events/stream',
            responseType: 'stream',
            options: { ...this.options, headers, signal },
          }));
        } catch (error) {
          if (signal.aborted) return;
          throw error;
        }
        const parser = new SseParser(this.lastEventId);
        const body = response.body;
        if (body) {
          const reader = body.getReader();
          const decoder = new TextDecoder();
          const idleMs = this.params.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
          let idle: ReturnType<typeof setTimeout> | undefined;
          const armIdle = (): void => {
            clearTimeout(idle);
            // A silent connection (a proxy that dropped it without a FIN) ends this read loop.
            idle = setTimeout(() => void reader.cancel().catch(() => undefined), idleMs);
          };
          try {
            for (;;) {
              armIdle();
              const { done, value } = await reader.read();
              if (done) break;
              for (const message of parser.push(decoder.decode(value, { stream: true }))) {
                this.lastEventId = parser.lastId;
                failures = 0;
                yield toLiveEvent(message);
              }
              this.lastEventId = parser.lastId;
            }
          } catch {
            if (signal.aborted) return;
            // The connection dropped mid-stream: reconnect below and resume after lastEventId.
          } finally {
            clearTimeout(idle);
            await reader.cancel().catch(() => undefined);
          }
        }
        if (this.params.reconnect === false || signal.aborted) return;
        failures++;
        if (failures > this.maxRetries) {
          throw new APIConnectionError(`The event stream closed ${failures} times in a row without delivering an event.`);
        }
        try {
          await sleep(parser.retryMs ?? DEFAULT_RECONNECT_DELAY_MS, signal);
        } catch {
          return;
        }
      }
    } finally {
      userSignal?.removeEventListener('abort', onUserAbort);
      controller.abort();
    }
  }
}

/** `/v1/events/stream`: Server-Sent Events of the organisation's call events. */
export class Events extends APIResource {
  constructor(transport: Transport, private readonly maxRetries: number) {
    super(transport);
  }

  /**
   * Streams call events as they happen; reconnects with `Last-Event-ID` when the connection drops.
   * @example
   * for await (const event of client.events.stream()) {
   *   console.log(event.id, event.type, event.data.call.status);
   * }
   */
  stream(params: EventStreamParams = {}, options?: RequestOptions): EventStream {
    return new EventStream(this.transport, this.maxRetries, params, options);
  }
}
