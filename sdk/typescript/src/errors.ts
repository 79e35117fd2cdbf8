/**
 * Error classes of the SDK. Every error a request can end in is a {@link CallingBoxError};
 * an answer of the server is an {@link APIError} subclass chosen by HTTP status, a transport
 * failure is an {@link APIConnectionError} (or {@link APITimeoutError}).
 */

/** Base class of every error this SDK throws. */
export class CallingBoxError extends Error {
  override name = 'CallingBoxError';
}

/** Headers-like shape, so errors can be built from fetch `Headers` or a plain record. */
type HeaderSource = Headers | Record<string, string | undefined> | undefined;

function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

/** The server's request id, from whichever of the usual headers it sent. */
export function requestIdFrom(headers: HeaderSource): string | undefined {
  return headerValue(headers, 'callingbox-request-id') ?? headerValue(headers, 'x-request-id');
}

/**
 * The server answered with a non-2xx status. Carries the fields of the error body
 * `{"error": "<sentence>", "code": "<machine code>", "param": "<dotted.path>"}`.
 *
 * @example
 * try { await client.agents.retrieve('ag_missing'); }
 * catch (e) { if (e instanceof NotFoundError) console.log(e.status, e.code, e.message); }
 */
export class APIError extends CallingBoxError {
  override name = 'APIError';
  /** HTTP status; undefined for transport failures. */
  readonly status: number | undefined;
  /** Machine-readable code from the body (`invalid_request`, `not_found`, `idempotency_conflict`…). */
  readonly code: string | undefined;
  /** Dotted path of the offending field (`returns.confirmed`, `tools[2].url`), when the server named one. */
  readonly param: string | undefined;
  /** The server's request id, when it sent one in a header. */
  readonly requestId: string | undefined;
  /** The parsed error body, as the server sent it. */
  readonly body: unknown;
  /** The response headers. */
  readonly headers: Headers | undefined;

  constructor(
    status: number | undefined,
    message: string,
    details: { code?: string; param?: string; requestId?: string; body?: unknown; headers?: Headers; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = status;
    this.code = details.code;
    this.param = details.param;
    this.requestId = details.requestId;
    this.body = details.body;
    this.headers = details.headers;
  }

  /** Builds the subclass that matches `status` from a response's parsed body and headers. */
  static fromResponse(status: number, body: unknown, headers?: Headers): APIError {
    const fields = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    const fallback = typeof body === 'string' && body.length > 0 ? body : `HTTP ${status}`;
    const message = str(fields.error) ?? str(fields.message) ?? fallback;
    const details = { code: str(fields.code), param: str(fields.param), requestId: requestIdFrom(headers), body, headers };
    const Class = errorClassFor(status);
    return new Class(status, message, details);
  }
}

/** 400 `invalid_request`: malformed JSON, wrong types, missing or unknown fields; `param` names the field. */
export class BadRequestError extends APIError { override name = 'BadRequestError'; }
/** 401 `unauthorized`: missing, malformed, unknown, revoked or expired key. */
export class AuthenticationError extends APIError { override name = 'AuthenticationError'; }
/** 403: the key may not do this. */
export class PermissionDeniedError extends APIError { override name = 'PermissionDeniedError'; }
/** 404 `not_found`: no such id in this organisation. */
export class NotFoundError extends APIError { override name = 'NotFoundError'; }
/** 409 `conflict`, `idempotency_conflict` or `idempotency_in_progress`: a rule would break. */
export class ConflictError extends APIError { override name = 'ConflictError'; }
/** 413 `payload_too_large`: body over 1 MiB. */
export class PayloadTooLargeError extends APIError { override name = 'PayloadTooLargeError'; }
/** 422 `unprocessable`: valid shape, impossible request. */
export class UnprocessableEntityError extends APIError { override name = 'UnprocessableEntityError'; }
/** 429 `rate_limited`: per-key limit exceeded (the SDK already retried, honouring `Retry-After`). */
export class RateLimitError extends APIError { override name = 'RateLimitError'; }
/** 5xx: `internal`, or 502 `carrier_error` when the carrier could not place the call. */
export class InternalServerError extends APIError { override name = 'InternalServerError'; }

/** The request never got an answer: DNS, refused or reset connection, aborted stream. */
export class APIConnectionError extends APIError {
  override name = 'APIConnectionError';
  constructor(message = 'Connection error.', cause?: unknown) {
    super(undefined, message, { cause });
  }
}

/** No answer within `timeoutMs`. */
export class APITimeoutError extends APIConnectionError {
  override name = 'APITimeoutError';
  constructor(message = 'Request timed out.', cause?: unknown) {
    super(message, cause);
  }
}

/** Thrown by `Webhooks.constructEvent` for a missing, malformed, wrong or stale signature. */
export class WebhookVerificationError extends CallingBoxError {
  override name = 'WebhookVerificationError';
}

function errorClassFor(status: number): typeof APIError {
  switch (status) {
    case 400: return BadRequestError;
    case 401: return AuthenticationError;
    case 403: return PermissionDeniedError;
    case 404: return NotFoundError;
    case 409: return ConflictError;
    case 413: return PayloadTooLargeError;
    case 422: return UnprocessableEntityError;
    case 429: return RateLimitError;
    default: return status >= 500 ? InternalServerError : APIError;
  }
}
