/**
 * Dialog state (RFC 3261 §12) on the UAS side, and the pure builders of responses and in-dialog
 * requests. Random values (tags, branches) come from `node:crypto`.
 */
import { randomBytes } from 'node:crypto';
import { parseCSeq, parseNameAddr, parseSipUri } from './header-values.ts';
import { type SipHeader, type SipRequest, type SipResponse, getHeader, getHeaderValues } from './message.ts';

/** RFC 3261 §8.1.1.7: every branch starts with the magic cookie. */
export const BRANCH_MAGIC = 'z9hG4bK';

/** A new Via branch. */
export const newBranch = (): string => BRANCH_MAGIC + randomBytes(8).toString('hex');
/** A new From/To tag. */
export const newTag = (): string => randomBytes(6).toString('hex');

/** Reason phrases for the statuses the UA sends. */
export const REASON_PHRASES: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  603: 'Decline',
};

/** Where a request came from (used for the `received`/`rport` of RFC 3261 §18.2.1 and RFC 3581). */
export interface PacketSource {
  readonly address: string;
  readonly port: number;
}

/**
 * Builds a response to `req` (RFC 3261 §8.2.6): Via (the top one stamped with `received` and
 * `rport`), From, To (with `toTag` added when the request's To has none), Call-ID, CSeq.
 */
export function buildResponse(
  req: SipRequest,
  status: number,
  opts: { reason?: string; toTag?: string; source?: PacketSource; extra?: readonly SipHeader[]; body?: Buffer; contentType?: string; copyRecordRoute?: boolean } = {},
): SipResponse {
  const hs: SipHeader[] = [];
  getHeaderValues(req, 'via').forEach((v, i) => hs.push({ name: 'via', value: i === 0 && opts.source ? stampVia(v, opts.source) : v }));
  if (opts.copyRecordRoute) for (const rr of getHeaderValues(req, 'record-route')) hs.push({ name: 'record-route', value: rr });
  hs.push({ name: 'from', value: getHeader(req, 'from') ?? '' });
  const to = getHeader(req, 'to') ?? '';
  const hasTag = parseNameAddr(to)?.tag !== undefined;
  hs.push({ name: 'to', value: !hasTag && opts.toTag && status > 100 ? `${to};tag=${opts.toTag}` : to });
  hs.push({ name: 'call-id', value: getHeader(req, 'call-id') ?? '' });
  hs.push({ name: 'cseq', value: getHeader(req, 'cseq') ?? '' });
  hs.push(...(opts.extra ?? []));
  if (opts.body && opts.contentType) hs.push({ name: 'content-type', value: opts.contentType });
  return { kind: 'response', status, reason: opts.reason ?? REASON_PHRASES[status] ?? 'Unknown', headers: hs, body: opts.body ?? Buffer.alloc(0) };
}

/** RFC 3581 §4: fill `rport` with the source port, add `received` with the source address. */
function stampVia(via: string, src: PacketSource): string {
  let v = via.replace(/;rport(?=;|$)/i, `;rport=${src.port}`);
  if (!/;received=/i.test(v)) v += `;received=${src.address}`;
  return v;
}

/** One dialog, seen from our side. */
export interface Dialog {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  /** Our URI (the To of the INVITE) and theirs (the From), as name-addr values. */
  readonly localNameAddr: string;
  readonly remoteNameAddr: string;
  /** Where in-dialog requests are addressed: the caller's Contact. */
  remoteTarget: string;
  /** Record-Route values in order (RFC 3261 §12.1.1 for the UAS). */
  readonly routeSet: readonly string[];
  localSeq: number;
  remoteSeq: number;
}

/** Creates the UAS dialog for an INVITE we answer with `localTag`; `undefined` without a From tag or Contact. */
export function dialogFromInvite(invite: SipRequest, localTag: string): Dialog | undefined {
  const from = getHeader(invite, 'from') ?? '';
  const remoteTag = parseNameAddr(from)?.tag;
  const contact = parseNameAddr(getHeaderValues(invite, 'contact')[0] ?? '');
  const cseq = parseCSeq(getHeader(invite, 'cseq') ?? '');
  if (!remoteTag || !contact || !cseq) return undefined;
  return {
    callId: getHeader(invite, 'call-id') ?? '',
    localTag,
    remoteTag,
    localNameAddr: `${(getHeader(invite, 'to') ?? '').replace(/;tag=[^;]*/i, '')};tag=${localTag}`,
    remoteNameAddr: from,
    remoteTarget: contact.uri,
    routeSet: getHeaderValues(invite, 'record-route'),
    localSeq: Math.floor(Math.random() * 10_000) + 1,
    remoteSeq: cseq.seq,
  };
}

/** Creates the UAC dialog from the 2xx to our INVITE (RFC 3261 §12.1.2: route set is the Record-Route reversed). */
export function dialogFromResponse(invite: SipRequest, ok: SipResponse): Dialog | undefined {
  const localTag = parseNameAddr(getHeader(invite, 'from') ?? '')?.tag;
  const to = getHeader(ok, 'to') ?? '';
  const remoteTag = parseNameAddr(to)?.tag;
  const contact = parseNameAddr(getHeaderValues(ok, 'contact')[0] ?? '');
  const cseq = parseCSeq(getHeader(invite, 'cseq') ?? '');
  if (!localTag || !remoteTag || !contact || !cseq) return undefined;
  return {
    callId: getHeader(invite, 'call-id') ?? '',
    localTag,
    remoteTag,
    localNameAddr: getHeader(invite, 'from') ?? '',
    remoteNameAddr: to,
    remoteTarget: contact.uri,
    routeSet: getHeaderValues(ok, 'record-route').reverse(),
    localSeq: cseq.seq,
    remoteSeq: 0,
  };
}

/** Builds a request inside a dialog (BYE, re-INVITE, INFO) and advances the local CSeq; ACK reuses the INVITE's (`cseq`). */
export function buildInDialogRequest(
  d: Dialog,
  method: string,
  via: { transport: string; host: string; port: number; branch: string },
  opts: { contact?: string; extra?: readonly SipHeader[]; body?: Buffer; contentType?: string; cseq?: number } = {},
): SipRequest {
  if (opts.cseq === undefined) d.localSeq++;
  const hs: SipHeader[] = [
    { name: 'via', value: `SIP/2.0/${via.transport.toUpperCase()} ${via.host}:${via.port};branch=${via.branch};rport` },
    { name: 'max-forwards', value: '70' },
    ...d.routeSet.map((r) => ({ name: 'route', value: r })),
    { name: 'from', value: d.localNameAddr },
    { name: 'to', value: d.remoteNameAddr },
    { name: 'call-id', value: d.callId },
    { name: 'cseq', value: `${opts.cseq ?? d.localSeq} ${method}` },
  ];
  if (opts.contact) hs.push({ name: 'contact', value: opts.contact });
  hs.push(...(opts.extra ?? []));
  if (opts.body && opts.contentType) hs.push({ name: 'content-type', value: opts.contentType });
  return { kind: 'request', method, uri: d.remoteTarget, headers: hs, body: opts.body ?? Buffer.alloc(0) };
}

/** The host/port/transport to send an in-dialog request to, from the first route or the remote target. */
export function nextHopOf(d: Dialog): { host: string; port: number; transport: 'udp' | 'tcp' } | undefined {
  const first = d.routeSet[0];
  const uri = parseSipUri(first ? (parseNameAddr(first)?.uri ?? '') : d.remoteTarget);
  if (!uri || uri.scheme === 'tel') return undefined;
  const t = uri.params.get('transport')?.toLowerCase() === 'tcp' ? 'tcp' : 'udp';
  return { host: uri.host.replace(/^\[|\]$/g, ''), port: uri.port ?? 5060, transport: t };
}
