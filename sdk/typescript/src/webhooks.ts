import { WebhookVerificationError } from './errors.js';
import { concatBytes, hmacSha256HexAsync, hmacSha256HexSync, timingSafeEqualStrings, utf8 } from './internal/hmac.js';
import type { WebhookEvent } from './types.js';

/** Deliveries older or newer than this many seconds are rejected (webhooks.md → Signature). */
export const DEFAULT_TOLERANCE_SEC = 300;
/** The header that carries the signature. */
export const SIGNATURE_HEADER = 'CallingBox-Signature';

/** Options of {@link Webhooks.constructEvent}. */
export interface ConstructEventOptions {
  /** Largest accepted |now − t| in seconds (default 300). */
  toleranceSec?: number;
  /** "Now" in unix seconds, for tests. */
  nowSec?: number;
}

/** The raw request body: the exact bytes received, as a string or bytes, never re-serialised JSON. */
export type RawBody = string | Uint8Array | ArrayBuffer;

interface ParsedHeader {
  timestamp: number;
  signatures: string[];
}

function bodyBytes(rawBody: RawBody): Uint8Array {
  if (typeof rawBody === 'string') return utf8(rawBody);
  if (rawBody instanceof Uint8Array) return rawBody;
  if (rawBody instanceof ArrayBuffer) return new Uint8Array(rawBody);
  throw new WebhookVerificationError(
    'The webhook body must be the raw request body (string or bytes), not parsed JSON: re-serialising changes the bytes that were signed.',
  );
}

function parseHeader(header: string | null | undefined): ParsedHeader {
  if (typeof header !== 'string' || header.trim() === '') {
    throw new WebhookVerificationError(`No ${SIGNATURE_HEADER} header: was this request sent by CallingBox?`);
  }
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value !== '') signatures.push(value.toLowerCase());
  }
  if (timestamp === undefined) throw new WebhookVerificationError(`Malformed ${SIGNATURE_HEADER} header: no t=<unix seconds>.`);
  if (signatures.length === 0) throw new WebhookVerificationError(`Malformed ${SIGNATURE_HEADER} header: no v1=<hex> signature.`);
  return { timestamp, signatures };
}

function signedPayload(timestamp: number, body: Uint8Array): Uint8Array {
  return concatBytes(utf8(`${timestamp}.`), body);
}

function check(parsed: ParsedHeader, expected: string, options: ConstructEventOptions): void {
  // Compare against every candidate (no early exit), each in constant time.
  let matched = false;
  for (const candidate of parsed.signatures) matched = timingSafeEqualStrings(candidate, expected) || matched;
  if (!matched) {
    throw new WebhookVerificationError('No signature matches the payload: check the signing secret and that the body is the raw, unmodified request body.');
  }
  const tolerance = options.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  const now = options.nowSec ?? Math.floor(Date.now() / 1000);
  if (tolerance > 0 && Math.abs(now - parsed.timestamp) > tolerance) {
    throw new WebhookVerificationError(
      `Signature timestamp is ${Math.abs(now - parsed.timestamp)} s away from now (tolerance ${tolerance} s): a stale or replayed delivery, or a clock out of sync.`,
    );
  }
}

function parseEvent(body: Uint8Array): WebhookEvent {
  try {
    return JSON.parse(new TextDecoder().decode(body)) as WebhookEvent;
  } catch (cause) {
    throw new WebhookVerificationError('The signed webhook body is not JSON.', { cause });
  }
}

/**
 * Verifies webhook deliveries: `CallingBox-Signature: t=<unix>,v1=<hex>` where `v1` is the
 * lowercase hex HMAC-SHA256 of `<t>.<raw body>` keyed with the endpoint's (or the
 * organisation's) signing secret.
 */
export class Webhooks {
  /**
   * Verifies a delivery and returns its event. Synchronous (node:crypto where available, a pure
   * implementation elsewhere); see {@link constructEventAsync} for WebCrypto.
   *
   * @throws WebhookVerificationError for a missing or malformed header, no matching signature,
   *   or a timestamp more than `toleranceSec` (default 300) away from now.
   * @example
   * app.post('/hooks', express.raw({ type: 'application/json' }), (req, res) => {
   *   const event = Webhooks.constructEvent(req.body, req.header('CallingBox-Signature'), secret);
   *   if (event.type === 'call.completed') console.log(event.data.call.result);
   *   res.sendStatus(200);
   * });
   */
  static constructEvent(rawBody: RawBody, signatureHeader: string | null | undefined, secret: string, options: ConstructEventOptions = {}): WebhookEvent {
    const body = bodyBytes(rawBody);
    const parsed = parseHeader(signatureHeader);
    check(parsed, hmacSha256HexSync(utf8(secret), signedPayload(parsed.timestamp, body)), options);
    return parseEvent(body);
  }

  /** {@link constructEvent} computed with WebCrypto (`crypto.subtle`), for edge runtimes. */
  static async constructEventAsync(rawBody: RawBody, signatureHeader: string | null | undefined, secret: string, options: ConstructEventOptions = {}): Promise<WebhookEvent> {
    const body = bodyBytes(rawBody);
    const parsed = parseHeader(signatureHeader);
    check(parsed, await hmacSha256HexAsync(utf8(secret), signedPayload(parsed.timestamp, body)), options);
    return parseEvent(body);
  }

  /**
   * Builds a `CallingBox-Signature` header value for `rawBody`, as the server does: for tests of
   * your own webhook handler.
   * @example
   * const header = Webhooks.signatureHeader(JSON.stringify(event), 'whsec_test');
   */
  static signatureHeader(rawBody: RawBody, secret: string, options: { timestampSec?: number } = {}): string {
    const timestamp = options.timestampSec ?? Math.floor(Date.now() / 1000);
    return `t=${timestamp},v1=${hmacSha256HexSync(utf8(secret), signedPayload(timestamp, bodyBytes(rawBody)))}`;
  }
}
