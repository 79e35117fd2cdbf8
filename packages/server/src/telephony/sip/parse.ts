/**
 * A strict SIP message parser (RFC 3261 §7, §25). Pure: bytes in, a typed message or an error out;
 * it never throws. "Strict" means a message missing what a user agent needs to answer it
 * (a readable top Via, From, To, Call-ID, a CSeq whose method matches) is refused rather than
 * half-accepted: such a datagram can be neither answered nor matched to a transaction.
 */
import { TOKEN_RE, parseCSeq, parseNameAddr, parseVia } from './header-values.ts';
import { type SipHeader, type SipMessage, getHeader, getHeaderValues, normaliseHeaderName } from './message.ts';

/** The result of a codec: never an exception. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Options for `parseSipMessage`. */
export interface SipParseOptions {
  /** Stream transports (TCP) must carry Content-Length (RFC 3261 §18.3); datagrams may omit it. */
  readonly requireContentLength?: boolean;
}

/** Largest message accepted: RFC 3261 §18.1.1 keeps UDP under the MTU; TCP is bounded to stop memory abuse. */
export const MAX_SIP_MESSAGE_BYTES = 65_535;

const CRLFCRLF = Buffer.from('\r\n\r\n');
const REQUEST_LINE_RE = /^([A-Za-z0-9\-.!%*_+`'~]+) ([A-Za-z][A-Za-z0-9+.-]*:[^\s]+) SIP\/2\.0$/;
const STATUS_LINE_RE = /^SIP\/2\.0 ([1-6]\d\d) ([^\r\n]*)$/;
// Header text may hold UTF-8 but no control characters other than HT (RFC 3261 §25.1 TEXT-UTF8).
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\x00-\x08\x0a-\x1f\x7f]/;

const fail = (error: string): ParseResult<never> => ({ ok: false, error });

/**
 * Parses the start line and headers (the text before the blank line, without it).
 * Exported for the stream framer, which needs Content-Length before the body has arrived.
 */
export function parseHead(
  head: string,
): ParseResult<{ start: { kind: 'request'; method: string; uri: string } | { kind: 'response'; status: number; reason: string }; headers: SipHeader[] }> {
  const lines = head.split('\r\n');
  const startLine = lines[0] ?? '';
  let start: { kind: 'request'; method: string; uri: string } | { kind: 'response'; status: number; reason: string };
  const rq = REQUEST_LINE_RE.exec(startLine);
  if (rq) start = { kind: 'request', method: rq[1] ?? '', uri: rq[2] ?? '' };
  else {
    const rs = STATUS_LINE_RE.exec(startLine);
    if (!rs || CONTROL_RE.test(rs[2] ?? '')) return fail('bad start line');
    start = { kind: 'response', status: Number(rs[1]), reason: rs[2] ?? '' };
  }
  const headers: SipHeader[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (CONTROL_RE.test(line) || line.includes('\r')) return fail(`control character in header line ${i}`);
    if (line.startsWith(' ') || line.startsWith('\t')) {
      // RFC 3261 §7.3.1: a line starting with whitespace continues the previous header (folding)
      const prev = headers.pop();
      if (!prev) return fail('folded line before any header');
      headers.push({ name: prev.name, value: `${prev.value} ${line.trim()}`.trim() });
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return fail(`header line ${i} has no name`);
    const name = line.slice(0, colon).trimEnd();
    if (!TOKEN_RE.test(name)) return fail(`bad header name '${name.slice(0, 40)}'`);
    headers.push({ name: normaliseHeaderName(name), value: line.slice(colon + 1).trim() });
  }
  return { ok: true, value: { start, headers } };
}

/** Reads Content-Length: `undefined` when absent, `null` when malformed or repeated inconsistently. */
export function contentLengthOf(headers: readonly SipHeader[]): number | undefined | null {
  const values = headers.filter((h) => h.name === 'content-length').map((h) => h.value);
  if (values.length === 0) return undefined;
  if (!values.every((v) => /^\d{1,7}$/.test(v) && v === values[0])) return null;
  return Number(values[0]);
}

/** Parses one complete SIP message from a datagram or a framed stream slice. Never throws. */
export function parseSipMessage(data: Uint8Array, opts: SipParseOptions = {}): ParseResult<SipMessage> {
  try {
    return parseUnsafe(Buffer.from(data.buffer, data.byteOffset, data.byteLength), opts);
  } catch (e) {
    // Defensive: the code above is written not to throw; a bug must not crash the listener.
    return fail(`parser error: ${(e as Error).message}`);
  }
}

function parseUnsafe(buf: Buffer, opts: SipParseOptions): ParseResult<SipMessage> {
  if (buf.length > MAX_SIP_MESSAGE_BYTES) return fail('message too large');
  const headEnd = buf.indexOf(CRLFCRLF);
  if (headEnd < 0) return fail('no blank line after headers');
  const headBytes = buf.subarray(0, headEnd);
  const head = headBytes.toString('utf8');
  if (!Buffer.from(head, 'utf8').equals(headBytes)) return fail('headers are not UTF-8');
  const parsed = parseHead(head);
  if (!parsed.ok) return parsed;
  const { start, headers } = parsed.value;

  const rest = buf.subarray(headEnd + 4);
  const cl = contentLengthOf(headers);
  if (cl === null) return fail('bad Content-Length');
  if (cl === undefined && opts.requireContentLength) return fail('Content-Length required on a stream');
  if (cl !== undefined && cl > rest.length) return fail('body shorter than Content-Length');
  // RFC 3261 §18.3: bytes past Content-Length in a datagram are discarded
  const body = Buffer.from(cl === undefined ? rest : rest.subarray(0, cl));

  const problem = checkMandatory(start, headers);
  if (problem) return fail(problem);
  const msg: SipMessage =
    start.kind === 'request'
      ? { kind: 'request', method: start.method, uri: start.uri, headers, body }
      : { kind: 'response', status: start.status, reason: start.reason, headers, body };
  return { ok: true, value: msg };
}

/** RFC 3261 §8.1.1: the headers every request and response must carry, readable. */
function checkMandatory(start: { kind: 'request'; method: string } | { kind: 'response' }, hs: SipHeader[]): string | undefined {
  const m = { headers: hs };
  const vias = getHeaderValues(m, 'via');
  if (vias.length === 0) return 'missing Via';
  if (!vias.every((v) => parseVia(v) !== undefined)) return 'bad Via';
  for (const name of ['from', 'to'] as const) {
    const values = hs.filter((h) => h.name === name);
    if (values.length !== 1) return `need exactly one ${name}`;
    if (!parseNameAddr(values[0]?.value ?? '')) return `bad ${name}`;
  }
  const callIds = hs.filter((h) => h.name === 'call-id');
  if (callIds.length !== 1 || !/^[^\s]+$/.test(callIds[0]?.value ?? '')) return 'bad Call-ID';
  const cseqs = hs.filter((h) => h.name === 'cseq');
  const cseq = cseqs.length === 1 ? parseCSeq(cseqs[0]?.value ?? '') : undefined;
  if (!cseq) return 'bad CSeq';
  if (start.kind === 'request' && cseq.method !== start.method) return 'CSeq method differs from request method';
  const mf = getHeader(m, 'max-forwards');
  if (mf !== undefined && !/^\d{1,3}$/.test(mf)) return 'bad Max-Forwards';
  return undefined;
}
