/**
 * The SIP message model (RFC 3261 §7): a start line, an ordered list of headers, and a body.
 * Header names are stored lower-case in their long form (compact forms are expanded on parse);
 * repeated headers keep their order, which matters for Via, Route and Record-Route.
 */

/** One header line as it appeared (after unfolding), name lower-cased and expanded. */
export interface SipHeader {
  readonly name: string;
  readonly value: string;
}

/** A SIP request. */
export interface SipRequest {
  readonly kind: 'request';
  readonly method: string;
  readonly uri: string;
  readonly headers: readonly SipHeader[];
  readonly body: Buffer;
}

/** A SIP response. */
export interface SipResponse {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
  readonly headers: readonly SipHeader[];
  readonly body: Buffer;
}

/** A request or a response. */
export type SipMessage = SipRequest | SipResponse;

/** RFC 3261 §7.3.3 compact forms, plus the common extension ones (RFC 3515, 3841, 4028). */
export const COMPACT_HEADER_NAMES: Readonly<Record<string, string>> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  r: 'refer-to',
  b: 'referred-by',
  o: 'event',
  u: 'allow-events',
  x: 'session-expires',
  a: 'accept-contact',
  j: 'reject-contact',
  d: 'request-disposition',
  y: 'identity',
};

/** Canonical spelling used when serialising (anything else is title-cased per dash). */
const CANONICAL_NAMES: Readonly<Record<string, string>> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'mime-version': 'MIME-Version',
  'p-asserted-identity': 'P-Asserted-Identity',
  'rseq': 'RSeq',
  'rack': 'RAck',
};

/** Lower-cases a header name and expands a compact form. */
export function normaliseHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT_HEADER_NAMES[lower] ?? lower;
}

/** The conventional spelling of a header name (`call-id` → `Call-ID`, `via` → `Via`). */
export function canonicalHeaderName(name: string): string {
  const lower = normaliseHeaderName(name);
  return CANONICAL_NAMES[lower] ?? lower.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
}

/** The first value of a header, or `undefined`. */
export function getHeader(msg: { headers: readonly SipHeader[] }, name: string): string | undefined {
  const n = normaliseHeaderName(name);
  return msg.headers.find((h) => h.name === n)?.value;
}

/**
 * Every value of a header, in order, with comma-separated lists split (RFC 3261 §7.3.1), so that
 * `Via: a, b` and two `Via` lines give the same result. Commas inside quotes or `<…>` are kept.
 */
export function getHeaderValues(msg: { headers: readonly SipHeader[] }, name: string): string[] {
  const n = normaliseHeaderName(name);
  const out: string[] = [];
  for (const h of msg.headers) if (h.name === n) out.push(...splitHeaderList(h.value));
  return out;
}

/** Splits a comma-separated header value, respecting quoted strings and angle brackets. */
export function splitHeaderList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') depth++;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}

/** Headers with one name replaced (or appended when absent), keeping the others' order. */
export function withHeader(headers: readonly SipHeader[], name: string, value: string): SipHeader[] {
  const n = normaliseHeaderName(name);
  const idx = headers.findIndex((h) => h.name === n);
  const out = headers.filter((h) => h.name !== n);
  out.splice(idx < 0 ? out.length : idx, 0, { name: n, value });
  return out;
}

/** Builds a header list from `[name, value]` pairs (names normalised). */
export function headers(...pairs: readonly (readonly [string, string | number])[]): SipHeader[] {
  return pairs.map(([name, value]) => ({ name: normaliseHeaderName(name), value: String(value) }));
}
