/**
 * Parsers for the structured header values the user agent relies on: Via, name-addr (From, To,
 * Contact, Route), CSeq and SIP URIs (RFC 3261 §20, §25.1). Each returns `undefined` for a value
 * it cannot read instead of throwing.
 */

/** A parsed `Via` value. */
export interface ViaValue {
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly params: ReadonlyMap<string, string | null>;
  readonly branch: string | undefined;
}

/** A parsed name-addr / addr-spec (`"Ana" <sip:ana@host>;tag=1`). */
export interface NameAddr {
  readonly displayName: string | undefined;
  readonly uri: string;
  readonly params: ReadonlyMap<string, string | null>;
  readonly tag: string | undefined;
}

/** A parsed `CSeq` value. */
export interface CSeqValue {
  readonly seq: number;
  readonly method: string;
}

/** A parsed `sip:`/`sips:`/`tel:` URI. */
export interface SipUri {
  readonly scheme: 'sip' | 'sips' | 'tel';
  readonly user: string | undefined;
  readonly host: string;
  readonly port: number | undefined;
  readonly params: ReadonlyMap<string, string | null>;
}

/** RFC 3261 §25.1 `token` characters. */
export const TOKEN_RE = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const HOST_RE = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9\-.]*[A-Za-z0-9])?\.?)$/;

/** Parses `;a=b;c` parameters; `undefined` when a name is not a token. */
export function parseParams(text: string): Map<string, string | null> | undefined {
  const params = new Map<string, string | null>();
  if (text.trim() === '') return params;
  const trimmed = text.trim();
  if (!trimmed.startsWith(';')) return undefined;
  for (const raw of trimmed.slice(1).split(';')) {
    const p = raw.trim();
    const eq = p.indexOf('=');
    const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    if (!TOKEN_RE.test(name)) return undefined;
    const value = eq < 0 ? null : p.slice(eq + 1).trim();
    if (value !== null && value.length === 0) return undefined;
    params.set(name, value);
  }
  return params;
}

function parsePort(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : null;
}

/** Parses one `Via` value: `SIP/2.0/UDP host:port;branch=z9hG4bK…`. */
export function parseVia(value: string): ViaValue | undefined {
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z0-9\-.!%*_+`'~]+)\s+([^\s;]+)\s*(;.*)?$/i.exec(value.trim());
  if (!m) return undefined;
  const hostPort = m[2] ?? '';
  const hp = /^(\[[^\]]+\]|[^:]+)(?::(.*))?$/.exec(hostPort);
  if (!hp || !HOST_RE.test(hp[1] ?? '')) return undefined;
  const port = parsePort(hp[2]);
  if (port === null) return undefined;
  const params = parseParams(m[3] ?? '');
  if (!params) return undefined;
  const branch = params.get('branch');
  return { transport: (m[1] ?? '').toUpperCase(), host: hp[1] ?? '', port, params, branch: branch ?? undefined };
}

/** Parses a name-addr or addr-spec with header parameters. */
export function parseNameAddr(value: string): NameAddr | undefined {
  const v = value.trim();
  let displayName: string | undefined;
  let uri: string;
  let rest: string;
  const lt = v.indexOf('<');
  if (lt >= 0) {
    const gt = v.indexOf('>', lt);
    if (gt < 0) return undefined;
    const name = v.slice(0, lt).trim();
    if (name.startsWith('"')) {
      const q = /^"((?:[^"\\]|\\.)*)"$/.exec(name);
      if (!q) return undefined;
      displayName = (q[1] ?? '').replace(/\\(.)/g, '$1');
    } else if (name.length > 0) displayName = name;
    uri = v.slice(lt + 1, gt).trim();
    rest = v.slice(gt + 1);
  } else {
    // addr-spec: parameters after the URI belong to the header (RFC 3261 §20.10)
    const semi = v.indexOf(';');
    uri = semi < 0 ? v : v.slice(0, semi);
    rest = semi < 0 ? '' : v.slice(semi);
  }
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(uri)) return undefined;
  const params = parseParams(rest);
  if (!params) return undefined;
  return { displayName, uri, params, tag: params.get('tag') ?? undefined };
}

/** Parses `CSeq: 314159 INVITE`; the number must fit 31 bits (RFC 3261 §8.1.1.5). */
export function parseCSeq(value: string): CSeqValue | undefined {
  const m = /^(\d{1,10})\s+([A-Za-z0-9\-.!%*_+`'~]+)$/.exec(value.trim());
  if (!m) return undefined;
  const seq = Number(m[1]);
  if (seq > 0x7fffffff) return undefined;
  return { seq, method: m[2] ?? '' };
}

/** Parses a `sip:`, `sips:` or `tel:` URI (user part percent-decoded). */
export function parseSipUri(value: string): SipUri | undefined {
  const v = value.trim();
  const tel = /^tel:([^;]+)(;.*)?$/i.exec(v);
  if (tel) {
    const params = parseParams(tel[2] ?? '');
    if (!params) return undefined;
    return { scheme: 'tel', user: safeDecode(tel[1] ?? ''), host: '', port: undefined, params };
  }
  const m = /^(sips?):(?:([^@]*)@)?(\[[^\]]+\]|[^:;?]+)(?::([^;?]*))?(;[^?]*)?(\?.*)?$/i.exec(v);
  if (!m) return undefined;
  const host = m[3] ?? '';
  if (!HOST_RE.test(host)) return undefined;
  const port = parsePort(m[4]);
  if (port === null) return undefined;
  const params = parseParams(m[5] ?? '');
  if (!params) return undefined;
  const userInfo = m[2];
  const user = userInfo === undefined ? undefined : safeDecode(userInfo.split(':')[0] ?? '');
  return { scheme: (m[1] ?? 'sip').toLowerCase() as 'sip' | 'sips', user, host, port, params };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Formats a host for a URI or Via (IPv6 in brackets). */
export function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
