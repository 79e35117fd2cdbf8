/**
 * Typed errors that say what to do next (STYLE rule 7). The API maps them to the error body of
 * `api.md` through one table (`api/errors.ts`).
 */
export type ErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'not_found'
  | 'conflict'
  | 'idempotency_conflict'
  | 'idempotency_in_progress'
  | 'payload_too_large'
  | 'unprocessable'
  | 'rate_limited'
  | 'carrier_error'
  | 'internal';

export class CallingBoxError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
    readonly options: { param?: string; retryable?: boolean; cause?: unknown; retryAfterS?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
  }
  get param(): string | undefined {
    return this.options.param;
  }
}

/** The request is malformed; `param` names the offending field. */
export class ValidationError extends CallingBoxError {
  constructor(message: string, param?: string) {
    super(message, 'invalid_request', param === undefined ? {} : { param });
  }
}

export class UnauthorizedError extends CallingBoxError {
  constructor(message = 'Missing or invalid API key. Send `Authorization: Bearer sk_live_…`.') {
    super(message, 'unauthorized');
  }
}

/** No such id in the caller's organisation (also for other organisations' ids: no existence leak). */
export class NotFoundError extends CallingBoxError {
  constructor(kind: string, id: string) {
    super(`No such ${kind}: '${id}'.`, 'not_found');
  }
}

/** A rule would break. */
export class ConflictError extends CallingBoxError {
  constructor(message: string, code: 'conflict' | 'idempotency_conflict' | 'idempotency_in_progress' = 'conflict', param?: string) {
    super(message, code, param === undefined ? {} : { param });
  }
}

/** Valid shape, impossible request. */
export class UnprocessableError extends CallingBoxError {
  constructor(message: string, param?: string) {
    super(message, 'unprocessable', param === undefined ? {} : { param });
  }
}

export class RateLimitError extends CallingBoxError {
  constructor(retryAfterS: number) {
    super(`Too many requests for this API key; retry after ${retryAfterS} s.`, 'rate_limited', { retryable: true, retryAfterS });
  }
}

/** True for the errors an `AbortSignal` produces; cancelled work ends quietly (STYLE rule 2). */
export function isAbortError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError');
}
