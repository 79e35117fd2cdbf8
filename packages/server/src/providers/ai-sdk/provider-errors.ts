/**
 * One table from what the AI SDK throws to our `ProviderError` codes (STYLE rule 7), so every
 * vendor fails the same way: a rejected key is `provider_auth` (never retried), an overloaded or
 * unreachable vendor `provider_unavailable` (retryable), a request that took too long
 * `provider_timeout`.
 */
import { APICallError, LoadAPIKeyError, RetryError } from 'ai';
import { ProviderError } from '../provider-error.ts';

/** Maps an error of the AI SDK (or of fetch underneath it) to a `ProviderError`. */
export function toProviderError(e: unknown, providerId: string): ProviderError {
  if (e instanceof ProviderError) return e;
  if (RetryError.isInstance(e)) {
    const last = toProviderError(e.lastError, providerId);
    const attempts = e.errors.length;
    return new ProviderError(attempts > 1 ? `${last.message} (after ${attempts} attempts)` : last.message, last.code, providerId, { retryable: last.retryable, cause: e });
  }
  if (LoadAPIKeyError.isInstance(e)) return new ProviderError(`${providerId}: no API key is configured (${e.message})`, 'provider_auth', providerId, { cause: e });
  const status = statusOf(e);
  const detail = vendorMessage(e);
  if (status === 401 || status === 403) {
    return new ProviderError(`${providerId} rejected the API key (HTTP ${status}${detail ? `: ${detail}` : ''}); check the key in the configuration`, 'provider_auth', providerId, { cause: e });
  }
  if (status === 408 || status === 504) return new ProviderError(`${providerId} timed out (HTTP ${status})`, 'provider_timeout', providerId, { retryable: true, cause: e });
  if (status !== undefined && (status === 429 || status >= 500)) {
    return new ProviderError(`${providerId} is unavailable (HTTP ${status}${detail ? `: ${detail}` : ''})`, 'provider_unavailable', providerId, { retryable: true, cause: e });
  }
  if (status !== undefined) {
    // Another 4xx (unknown model, bad request): retrying the same request will not help.
    return new ProviderError(`${providerId} refused the request (HTTP ${status}${detail ? `: ${detail}` : ''})`, 'provider_unavailable', providerId, { retryable: false, cause: e });
  }
  const message = e instanceof Error ? (causeMessage(e) ?? e.message) : String(e);
  return new ProviderError(`${providerId} could not be reached or dropped the connection: ${message}`, 'provider_unavailable', providerId, { retryable: true, cause: e });
}

function statusOf(e: unknown): number | undefined {
  if (APICallError.isInstance(e)) return e.statusCode;
  // Errors the vendor sends inside a stream (Anthropic's `event: error`) carry a status too.
  const s = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** The vendor's own error sentence (`error.message` in OpenAI and Anthropic bodies), if any. */
function vendorMessage(e: unknown): string | undefined {
  if (!APICallError.isInstance(e) || !e.responseBody) return undefined;
  try {
    const body = JSON.parse(e.responseBody) as { error?: { message?: unknown } };
    return typeof body.error?.message === 'string' ? body.error.message : undefined;
  } catch {
    return undefined;
  }
}

function causeMessage(e: Error): string | undefined {
  const cause = e.cause as { message?: unknown; code?: unknown } | undefined;
  if (!cause || typeof cause.message !== 'string') return undefined;
  return typeof cause.code === 'string' ? `${cause.message} (${cause.code})` : cause.message;
}

/** An AbortError for `generateObject()` rejections after the caller aborted. */
export function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  if (r instanceof Error && r.name === 'AbortError') return r;
  return new DOMException('The operation was aborted.', 'AbortError');
}
