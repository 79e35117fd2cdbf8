/**
 * HTTP Digest authentication as SIP uses it (RFC 3261 §22, RFC 2617, RFC 7616 for SHA-256):
 * parse and format challenges, compute responses for a trunk's credentials, and verify a
 * caller's `Authorization`. Pure except for `randomBytes` when no cnonce/nonce is given.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Algorithms of RFC 7616 §3.3 (SHA-512-256 left out: no SIP trunk uses it). */
export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

/** A `WWW-Authenticate` / `Proxy-Authenticate` Digest challenge. */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  readonly algorithm: DigestAlgorithm;
  /** Offered qop values; empty means the RFC 2069 form without qop. */
  readonly qop: readonly string[];
  readonly stale?: boolean;
}

/** A trunk's credentials. */
export interface DigestCredentials {
  readonly username: string;
  readonly password: string;
}

/** Parses `Digest a=b, c="d"` into lower-cased parameter names; `undefined` if not Digest or malformed. */
export function parseDigestParams(value: string): Map<string, string> | undefined {
  const m = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!m) return undefined;
  const params = new Map<string, string>();
  const re = /\s*([A-Za-z0-9_-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^\s,"]+)\s*(,|$)/gy;
  const text = m[1] ?? '';
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const p = re.exec(text);
    if (!p) return undefined;
    params.set((p[1] ?? '').toLowerCase(), p[3] !== undefined ? p[3].replace(/\\(.)/g, '$1') : (p[2] ?? ''));
    at = re.lastIndex;
  }
  return params;
}

function toAlgorithm(a: string | undefined): DigestAlgorithm | undefined {
  const up = (a ?? 'MD5').toUpperCase();
  return up === 'MD5' || up === 'MD5-SESS' || up === 'SHA-256' || up === 'SHA-256-SESS'
    ? ((up.endsWith('-SESS') ? up.replace('-SESS', '-sess') : up) as DigestAlgorithm)
    : undefined;
}

/** Parses a Digest challenge header value. */
export function parseDigestChallenge(value: string): DigestChallenge | undefined {
  const p = parseDigestParams(value);
  const realm = p?.get('realm');
  const nonce = p?.get('nonce');
  const algorithm = toAlgorithm(p?.get('algorithm'));
  if (!p || realm === undefined || nonce === undefined || !algorithm) return undefined;
  const qop = (p.get('qop') ?? '').split(',').map((q) => q.trim()).filter(Boolean);
  const opaque = p.get('opaque');
  return { realm, nonce, algorithm, qop, ...(opaque !== undefined ? { opaque } : {}), stale: p.get('stale')?.toLowerCase() === 'true' };
}

const quote = (s: string): string => `"${s.replace(/(["\\])/g, '\\$1')}"`;

/** Formats a challenge for `WWW-Authenticate` (401) or `Proxy-Authenticate` (407). */
export function formatDigestChallenge(c: DigestChallenge): string {
  const parts = [`realm=${quote(c.realm)}`, `nonce=${quote(c.nonce)}`];
  if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
  parts.push(`algorithm=${c.algorithm}`);
  if (c.qop.length) parts.push(`qop=${quote(c.qop.join(','))}`);
  if (c.stale) parts.push('stale=true');
  return `Digest ${parts.join(', ')}`;
}

/** Creates a fresh challenge for a realm. */
export function createDigestChallenge(realm: string, algorithm: DigestAlgorithm = 'MD5'): DigestChallenge {
  return { realm, nonce: randomBytes(16).toString('hex'), algorithm, qop: ['auth'] };
}

/** Inputs of the response computation (RFC 2617 §3.2.2, RFC 7616 §3.4.1). */
export interface DigestInput {
  readonly algorithm: DigestAlgorithm;
  readonly username: string;
  readonly password: string;
  readonly realm: string;
  readonly nonce: string;
  readonly method: string;
  readonly uri: string;
  readonly qop?: string;
  readonly nc?: string;
  readonly cnonce?: string;
}

/** The `response` value. */
export function computeDigestResponse(i: DigestInput): string {
  const h = (s: string): string => createHash(i.algorithm.startsWith('SHA-256') ? 'sha256' : 'md5').update(s, 'utf8').digest('hex');
  let ha1 = h(`${i.username}:${i.realm}:${i.password}`);
  if (i.algorithm.endsWith('-sess')) ha1 = h(`${ha1}:${i.nonce}:${i.cnonce ?? ''}`);
  const ha2 = h(`${i.method}:${i.uri}`);
  return i.qop ? h(`${ha1}:${i.nonce}:${i.nc ?? ''}:${i.cnonce ?? ''}:${i.qop}:${ha2}`) : h(`${ha1}:${i.nonce}:${ha2}`);
}

/** Builds the `Authorization` / `Proxy-Authorization` value answering a challenge (qop=auth when offered). */
export function buildDigestAuthorization(
  c: DigestChallenge,
  creds: DigestCredentials,
  req: { method: string; uri: string; nc?: number; cnonce?: string },
): string {
  const qop = c.qop.includes('auth') ? 'auth' : undefined;
  const nc = (req.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = req.cnonce ?? randomBytes(8).toString('hex');
  const response = computeDigestResponse({ algorithm: c.algorithm, username: creds.username, password: creds.password, realm: c.realm, nonce: c.nonce, method: req.method, uri: req.uri, ...(qop ? { qop, nc, cnonce } : {}) });
  const parts = [`username=${quote(creds.username)}`, `realm=${quote(c.realm)}`, `nonce=${quote(c.nonce)}`, `uri=${quote(req.uri)}`, `response=${quote(response)}`, `algorithm=${c.algorithm}`];
  if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  return `Digest ${parts.join(', ')}`;
}

/** Result of checking a caller's credentials. */
export type DigestVerdict = { readonly ok: true; readonly username: string } | { readonly ok: false; readonly reason: 'malformed' | 'unknown_user' | 'wrong_realm' | 'stale_nonce' | 'bad_response' };

/**
 * Verifies an `Authorization` value for `method`. `passwordFor` looks up the user's password;
 * `nonceValid` tells whether we issued the nonce and it is still fresh.
 */
export function verifyDigestAuthorization(
  value: string,
  opts: { method: string; realm: string; passwordFor: (username: string) => string | undefined; nonceValid: (nonce: string) => boolean },
): DigestVerdict {
  const p = parseDigestParams(value);
  const username = p?.get('username');
  const nonce = p?.get('nonce');
  const uri = p?.get('uri');
  const response = p?.get('response');
  const algorithm = toAlgorithm(p?.get('algorithm'));
  if (!p || username === undefined || nonce === undefined || uri === undefined || response === undefined || !algorithm) return { ok: false, reason: 'malformed' };
  if (p.get('realm') !== opts.realm) return { ok: false, reason: 'wrong_realm' };
  const password = opts.passwordFor(username);
  if (password === undefined) return { ok: false, reason: 'unknown_user' };
  if (!opts.nonceValid(nonce)) return { ok: false, reason: 'stale_nonce' };
  const qop = p.get('qop');
  const expected = computeDigestResponse({ algorithm, username, password, realm: opts.realm, nonce, method: opts.method, uri, ...(qop ? { qop, nc: p.get('nc') ?? '', cnonce: p.get('cnonce') ?? '' } : {}) });
  const a = Buffer.from(expected);
  const b = Buffer.from(response.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b) ? { ok: true, username } : { ok: false, reason: 'bad_response' };
}
