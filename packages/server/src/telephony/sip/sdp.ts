/**
 * SDP parse and serialise (RFC 8866, formerly 4566), enough for audio offer/answer: session and
 * media lines, connection addresses, attributes in order. Pure and non-throwing.
 */
import type { ParseResult } from './parse.ts';

/** `c=` line. */
export interface SdpConnection {
  readonly netType: string;
  readonly addrType: string;
  readonly address: string;
}

/** `a=name[:value]`. */
export interface SdpAttribute {
  readonly name: string;
  readonly value: string | undefined;
}

/** One `m=` section. */
export interface SdpMedia {
  readonly type: string;
  readonly port: number;
  readonly proto: string;
  readonly formats: readonly string[];
  readonly connection: SdpConnection | undefined;
  readonly attributes: readonly SdpAttribute[];
  /** Lines this model does not interpret (`b=`, `i=`, `k=`), kept for serialising. */
  readonly otherLines: readonly string[];
}

/** A session description. */
export interface Sdp {
  readonly origin: { username: string; sessionId: string; sessionVersion: string; netType: string; addrType: string; address: string };
  readonly sessionName: string;
  readonly connection: SdpConnection | undefined;
  readonly timing: string;
  readonly attributes: readonly SdpAttribute[];
  readonly otherLines: readonly string[];
  readonly media: readonly SdpMedia[];
}

const fail = (error: string): ParseResult<never> => ({ ok: false, error });

function parseConnection(v: string): SdpConnection | undefined {
  const m = /^(\S+) (IP4|IP6) (\S+)$/.exec(v);
  if (!m) return undefined;
  // RFC 8866 §5.7: multicast may carry /ttl; take the address only
  return { netType: m[1] ?? 'IN', addrType: m[2] ?? 'IP4', address: (m[3] ?? '').split('/')[0] ?? '' };
}

function parseAttribute(v: string): SdpAttribute {
  const colon = v.indexOf(':');
  return colon < 0 ? { name: v, value: undefined } : { name: v.slice(0, colon), value: v.slice(colon + 1) };
}

/** Parses an SDP body (CRLF or LF line ends, as RFC 8866 §5 allows). */
export function parseSdp(text: string): ParseResult<Sdp> {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines[0] !== 'v=0') return fail('SDP must start with v=0');
  let origin: Sdp['origin'] | undefined;
  let sessionName = '-';
  let connection: SdpConnection | undefined;
  let timing = '0 0';
  const attributes: SdpAttribute[] = [];
  const otherLines: string[] = [];
  const media: {
    type: string;
    port: number;
    proto: string;
    formats: string[];
    connection: SdpConnection | undefined;
    attributes: SdpAttribute[];
    otherLines: string[];
  }[] = [];
  for (const line of lines.slice(1)) {
    if (!/^[a-z]=/.test(line)) return fail(`bad SDP line '${line.slice(0, 40)}'`);
    const type = line[0];
    const value = line.slice(2);
    const cur = media[media.length - 1];
    switch (type) {
      case 'o': {
        const p = value.split(' ');
        if (p.length !== 6) return fail('bad o= line');
        origin = { username: p[0] ?? '-', sessionId: p[1] ?? '0', sessionVersion: p[2] ?? '0', netType: p[3] ?? 'IN', addrType: p[4] ?? 'IP4', address: p[5] ?? '' };
        break;
      }
      case 's':
        sessionName = value;
        break;
      case 't':
        timing = value;
        break;
      case 'c': {
        const c = parseConnection(value);
        if (!c) return fail('bad c= line');
        if (cur) cur.connection = c;
        else connection = c;
        break;
      }
      case 'm': {
        const m = /^(\w+) (\d{1,5})(?:\/\d+)? (\S+)((?: \S+)*)$/.exec(value);
        if (!m) return fail('bad m= line');
        const port = Number(m[2]);
        if (port > 65535) return fail('bad m= port');
        media.push({ type: m[1] ?? '', port, proto: m[3] ?? '', formats: (m[4] ?? '').trim().split(' ').filter(Boolean), connection: undefined, attributes: [], otherLines: [] });
        break;
      }
      case 'a':
        (cur ? cur.attributes : attributes).push(parseAttribute(value));
        break;
      default:
        (cur ? cur.otherLines : otherLines).push(line);
    }
  }
  if (!origin) return fail('missing o= line');
  return { ok: true, value: { origin, sessionName, connection, timing, attributes, otherLines, media } };
}

const attrLine = (a: SdpAttribute): string => (a.value === undefined ? `a=${a.name}` : `a=${a.name}:${a.value}`);
const connLine = (c: SdpConnection): string => `c=${c.netType} ${c.addrType} ${c.address}`;

/** Serialises with CRLF line ends (RFC 8866 §5). */
export function serializeSdp(sdp: Sdp): string {
  const o = sdp.origin;
  const lines = ['v=0', `o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}`, `s=${sdp.sessionName}`];
  if (sdp.connection) lines.push(connLine(sdp.connection));
  lines.push(...sdp.otherLines.filter((l) => !l.startsWith('t=')), `t=${sdp.timing}`);
  lines.push(...sdp.attributes.map(attrLine));
  for (const m of sdp.media) {
    lines.push(`m=${m.type} ${m.port} ${m.proto} ${m.formats.join(' ')}`);
    if (m.connection) lines.push(connLine(m.connection));
    lines.push(...m.otherLines, ...m.attributes.map(attrLine));
  }
  return lines.join('\r\n') + '\r\n';
}

/** The `a=rtpmap` entries of a media section, keyed by payload type. */
export function rtpMaps(m: SdpMedia): Map<number, { encoding: string; clockRate: number; channels: number }> {
  const out = new Map<number, { encoding: string; clockRate: number; channels: number }>();
  for (const a of m.attributes) {
    if (a.name !== 'rtpmap' || !a.value) continue;
    const r = /^(\d{1,3}) ([^/\s]+)\/(\d+)(?:\/(\d+))?$/.exec(a.value.trim());
    if (r) out.set(Number(r[1]), { encoding: r[2] ?? '', clockRate: Number(r[3]), channels: Number(r[4] ?? 1) });
  }
  return out;
}

/** Media direction (RFC 3264 §5.1); `sendrecv` when none is given. */
export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** The direction of a media section, falling back to the session-level attribute. */
export function directionOf(sdp: Sdp, m: SdpMedia): SdpDirection {
  const dirs: SdpDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];
  const find = (attrs: readonly SdpAttribute[]): SdpDirection | undefined => attrs.map((a) => a.name as SdpDirection).find((n) => dirs.includes(n));
  return find(m.attributes) ?? find(sdp.attributes) ?? 'sendrecv';
}
