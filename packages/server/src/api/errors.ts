import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { CallingBoxError, type ErrorCode } from '../core/errors.ts';

/** The one table from error codes to HTTP statuses (api.md → Errors). */
const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  idempotency_conflict: 409,
  idempotency_in_progress: 409,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  carrier_error: 502,
  internal: 500,
};

export interface ErrorBody {
  error: string;
  code: string;
  param?: string;
}

/** `['tools', 2, 'url']` → `tools[2].url`. */
export function formatParam(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** The first zod issue as the API's 400 body, naming the field (or the unknown field). */
export function zodErrorBody(err: ZodError, where: 'body' | 'query' | 'param' | 'header' = 'body'): ErrorBody {
  const issue = err.issues[0]!;
  let path: PropertyKey[] = [...issue.path];
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys.includes('type') ? 'type' : issue.keys[0]!;
    path = [...path, key];
    if (/^Unrecognized key/.test(message)) message = `unknown field; ${where === 'query' ? 'this list takes no such filter' : 'check the spelling against the API reference'}`;
  } else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    message = 'is required';
  }
  const param = formatParam(path);
  return { error: param ? `${param}: ${message}` : message, code: 'invalid_request', ...(param ? { param } : {}) };
}

/** Maps any thrown value to a response; never leaks a stack trace. */
export function errorResponse(c: Context, err: unknown, log: (msg: string, err: unknown) => void): Response {
  if (err instanceof CallingBoxError) {
    const body: ErrorBody = { error: err.message, code: err.code, ...(err.param ? { param: err.param } : {}) };
    const headers: Record<string, string> = err.options.retryAfterS ? { 'Retry-After': String(err.options.retryAfterS) } : {};
    return c.json(body, STATUS[err.code] as 400, headers);
  }
  if (err instanceof HTTPException) {
    if (err.status === 413) return c.json({ error: 'Request body is larger than 1 MiB.', code: 'payload_too_large' }, 413);
    if (err.status === 400) return c.json({ error: 'Malformed JSON in the request body.', code: 'invalid_request' }, 400);
    return c.json({ error: err.message || 'Request failed.', code: err.status === 401 ? 'unauthorized' : 'invalid_request' }, err.status);
  }
  log('unhandled error', err);
  return c.json({ error: 'Internal error; it has been logged. Retry later or report it with the time of the request.', code: 'internal' }, 500);
}
