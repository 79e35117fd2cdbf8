import { APIConnectionError, APIError, APITimeoutError } from '../errors.js';
import { VERSION } from '../version.js';
import { retryDelayMs, sleep } from './backoff.js';
import { newIdempotencyKey } from './idempotency.js';
import { isNodeLike } from './runtime.js';

/** Per-request options accepted as the last argument of every SDK method. */
export interface RequestOptions {
  /** Cancels the request (and its retries); the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this request (each attempt gets this long). */
  timeoutMs?: number;
  /** Overrides the client's `maxRetries` for this request. */
  maxRetries?: number;
  /** Overrides the generated `Idempotency-Key` of a POST (reused across retries either way). */
  idempotencyKey?: string;
  /** Extra headers for this request. */
  headers?: Record<string, string>;
}

/** Query values: lists are sent comma-separated, as the API's filters expect. */
export type QueryValue = string | number | boolean | Date | null | undefined | ReadonlyArray<string | number>;

/** One request, as resources describe it to the transport. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, QueryValue> | undefined;
  body?: unknown;
  options?: RequestOptions | undefined;
  /** How to read a 2xx answer: parsed JSON (default), bytes, or the open response (streams). */
  responseType?: 'json' | 'bytes' | 'stream';
}

/** A 2xx answer: the parsed body and the response (headers carry pagination cursors). */
export interface ApiResponse<T> {
  data: T;
  response: Response;
}

/** Settings the transport needs, resolved once by the client. */
export interface TransportSettings {
  baseUrl: string;
  apiKey: string | undefined;
  maxRetries: number;
  timeoutMs: number;
  fetch: typeof fetch;
  defaultHeaders: Record<string, string>;
}

/** Status codes worth another attempt: the server may well answer differently next time. */
function isRetryableStatus(status: number, body: unknown): boolean {
  if (status === 408 || status === 429 || status >= 500) return true;
  // The first attempt of this very request (same Idempotency-Key) is still running on the server,
  // typically because our previous attempt timed out client-side: asking again returns its answer.
  return status === 409 && (body as { code?: unknown } | null)?.code === 'idempotency_in_progress';
}

/**
 * Sends requests with authentication, timeouts and retries. POSTs carry one `Idempotency-Key`
 * for all their attempts, so a retry after a lost answer never repeats the effect.
 */
export class Transport {
  constructor(private readonly settings: TransportSettings) {}

  /** The base URL requests go to (no trailing slash, no `/v1`). */
  get baseUrl(): string {
    return this.settings.baseUrl;
  }

  /** Builds the absolute URL of `path` with `query`, skipping undefined and null values. */
  buildUrl(path: string, query?: Record<string, QueryValue>): string {
    // A relative base URL ('' or '/api') means the page's own origin, for a dashboard in a browser.
    const pageUrl = (globalThis as { location?: { href?: string } }).location?.href;
    const url = new URL(this.settings.baseUrl + path, pageUrl);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      const text = value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(',') : String(value);
      url.searchParams.set(key, text);
    }
    return url.toString();
  }

  /** Sends `req`, retrying per the client's policy; resolves on 2xx, else throws an {@link APIError}. */
  async request<T>(req: ApiRequest): Promise<ApiResponse<T>> {
    const options = req.options ?? {};
    const maxRetries = Math.max(0, options.maxRetries ?? this.settings.maxRetries);
    const headers = this.headersFor(req);
    const givenKey = Object.keys(headers).some((name) => name.toLowerCase() === 'idempotency-key');
    if (req.method === 'POST' && (options.idempotencyKey !== undefined || !givenKey)) {
      headers['Idempotency-Key'] = options.idempotencyKey ?? newIdempotencyKey();
    }
    const url = this.buildUrl(req.path, req.query);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);

    for (let retries = 0; ; retries++) {
      const outcome = await this.attempt<T>(url, req, headers, body);
      if (outcome.kind === 'ok') return outcome.value;
      const userAborted = options.signal?.aborted === true;
      if (userAborted) throw options.signal?.reason;
      if (!outcome.retryable || retries >= maxRetries) throw outcome.error;
      await sleep(retryDelayMs(retries, outcome.headers), options.signal);
    }
  }

  private headersFor(req: ApiRequest): Record<string, string> {
    const headers: Record<string, string> = {
      Accept: req.responseType === 'stream' ? 'text/event-stream' : 'application/json',
      ...this.settings.defaultHeaders,
    };
    if (isNodeLike()) headers['User-Agent'] = `callingbox-typescript/${VERSION}`;
    if (this.settings.apiKey !== undefined) headers.Authorization = `Bearer ${this.settings.apiKey}`;
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';
    return { ...headers, ...req.options?.headers };
  }

  private async attempt<T>(
    url: string,
    req: ApiRequest,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<
    | { kind: 'ok'; value: ApiResponse<T> }
    | { kind: 'error'; error: APIError; retryable: boolean; headers?: Headers }
  > {
    const timeoutMs = req.options?.timeoutMs ?? this.settings.timeoutMs;
    const controller = new AbortController();
    const userSignal = req.options?.signal;
    const onUserAbort = (): void => controller.abort(userSignal?.reason);
    if (userSignal?.aborted) controller.abort(userSignal.reason);
    userSignal?.addEventListener('abort', onUserAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    let keepOpen = false;
    try {
      const init: RequestInit = { method: req.method, headers, signal: controller.signal };
      if (body !== undefined) init.body = body;
      const response = await this.settings.fetch(url, init);
      if (response.ok) {
        if (req.responseType === 'stream') {
          // The stream outlives this call: the timeout covered connecting, the caller's signal
          // (still wired to the controller) covers the rest.
          keepOpen = true;
          clearTimeout(timer);
          return { kind: 'ok', value: { data: undefined as T, response } };
        }
        const data = req.responseType === 'bytes' ? new Uint8Array(await response.arrayBuffer()) : await readJson(response);
        return { kind: 'ok', value: { data: data as T, response } };
      }
      const errorBody = await readJson(response).catch(() => undefined);
      const error = APIError.fromResponse(response.status, errorBody, response.headers);
      return { kind: 'error', error, retryable: isRetryableStatus(response.status, errorBody), headers: response.headers };
    } catch (cause) {
      if (userSignal?.aborted) throw userSignal.reason;
      if (cause instanceof APIError) return { kind: 'error', error: cause, retryable: false };
      const error = timedOut
        ? new APITimeoutError(`Request timed out after ${timeoutMs} ms: ${req.method} ${url}`, cause)
        : new APIConnectionError(`Connection error: ${req.method} ${url}: ${describe(cause)}`, cause);
      return { kind: 'error', error, retryable: true };
    } finally {
      clearTimeout(timer);
      if (!keepOpen) userSignal?.removeEventListener('abort', onUserAbort);
    }
  }
}

/** Parses a JSON body; an empty body is undefined and a non-JSON body comes back as text. */
async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = (inner as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}
