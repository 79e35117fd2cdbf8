/**
 * Maps what a cloud provider answered (an HTTP status on a request or on a WebSocket handshake, a
 * network failure) to a `ProviderError` whose code and message say what to do next (STYLE rule 7).
 */
import { ProviderError } from '../provider-error.ts';

/** Who is calling: the provider id and the environment variable that holds its key (for the message). */
export interface ProviderIdentity {
  readonly providerId: string;
  /** `DEEPGRAM_API_KEY`, … */
  readonly keyEnv: string;
}

/** The longest error body quoted in a message: enough for a vendor's `err_msg`, never a whole page. */
const MAX_DETAIL_CHARS = 300;

/** A ProviderError for a non-2xx answer; `detail` is the vendor's error body (quoted, shortened). */
export function errorFromStatus(who: ProviderIdentity, status: number, detail: string, what: string): ProviderError {
  const quoted = detail.trim() ? `: ${detail.trim().slice(0, MAX_DETAIL_CHARS)}` : '';
  const base = `${who.providerId} ${what} failed with HTTP ${status}${quoted}`;
  if (status === 401 || status === 403) {
    return new ProviderError(`${base}. The API key was rejected; check ${who.keyEnv}.`, 'provider_auth', who.providerId);
  }
  if (status === 402) {
    return new ProviderError(`${base}. The account has no credit left; top it up or use another provider.`, 'provider_auth', who.providerId);
  }
  if (status === 408 || status === 504) return new ProviderError(`${base}.`, 'provider_timeout', who.providerId, { retryable: true });
  if (status === 429 || status >= 500) return new ProviderError(`${base}. Retry later.`, 'provider_unavailable', who.providerId, { retryable: true });
  // Any other 4xx is a request the vendor will never accept (an unknown voice or model, a bad parameter).
  return new ProviderError(`${base}.`, 'provider_unavailable', who.providerId, { retryable: false });
}

/** A ProviderError for a request that got no answer (refused, reset, DNS). */
export function errorFromNetwork(who: ProviderIdentity, cause: unknown, what: string): ProviderError {
  const reason = describe(cause);
  return new ProviderError(`${who.providerId} ${what} failed: ${reason}. Is the service reachable (check the base URL)?`, 'provider_unavailable', who.providerId, { retryable: true, cause });
}

/** A ProviderError for a deadline that passed. */
export function timeoutError(who: ProviderIdentity, what: string, ms: number): ProviderError {
  return new ProviderError(`${who.providerId} ${what} got no answer within ${ms} ms.`, 'provider_timeout', who.providerId, { retryable: true });
}

/** The most specific text an error chain has (fetch wraps the socket error in `cause`). */
function describe(e: unknown): string {
  const parts: string[] = [];
  for (let cur = e, depth = 0; cur && depth < 4; depth++) {
    if (cur instanceof Error) {
      const code = (cur as NodeJS.ErrnoException).code;
      parts.push(code ? `${cur.message} (${code})` : cur.message);
      cur = cur.cause;
    } else {
      parts.push(String(cur));
      break;
    }
  }
  return parts.join(': ') || 'unknown error';
}
