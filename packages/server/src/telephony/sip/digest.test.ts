import { describe, expect, it } from 'vitest';
import { buildDigestAuthorization, computeDigestResponse, formatDigestChallenge, parseDigestChallenge, verifyDigestAuthorization } from './digest.ts';

describe('digest authentication', () => {
  it('computes the RFC 2617 §3.5 example', () => {
    expect(
      computeDigestResponse({ algorithm: 'MD5', username: 'Mufasa', password: 'Circle Of Life', realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', method: 'GET', uri: '/dir/index.html', qop: 'auth', nc: '00000001', cnonce: '0a4f113b' }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('computes the RFC 7616 §3.9.1 examples (MD5 and SHA-256)', () => {
    const base = { username: 'Mufasa', password: 'Circle of Life', realm: 'http-auth@example.org', nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', method: 'GET', uri: '/dir/index.html', qop: 'auth', nc: '00000001', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ' };
    expect(computeDigestResponse({ ...base, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(computeDigestResponse({ ...base, algorithm: 'SHA-256' })).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('parses a trunk challenge, answers it, and the answer verifies', () => {
    const header = 'Digest realm="sip.example.com", nonce="abc\\"123", opaque="xyz", algorithm=MD5, qop="auth,auth-int"';
    const c = parseDigestChallenge(header);
    expect(c).toEqual({ realm: 'sip.example.com', nonce: 'abc"123', opaque: 'xyz', algorithm: 'MD5', qop: ['auth', 'auth-int'], stale: false });
    if (!c) return;
    expect(parseDigestChallenge(formatDigestChallenge(c))).toEqual(c);
    const auth = buildDigestAuthorization(c, { username: 'trunk1', password: 's3cret' }, { method: 'INVITE', uri: 'sip:+14155550123@sip.example.com', cnonce: 'c0ffee' });
    expect(auth).toContain('qop=auth, nc=00000001, cnonce="c0ffee"');
    const check = (password: string, method = 'INVITE') =>
      verifyDigestAuthorization(auth, { method, realm: 'sip.example.com', passwordFor: (u) => (u === 'trunk1' ? password : undefined), nonceValid: (n) => n === 'abc"123' });
    expect(check('s3cret')).toEqual({ ok: true, username: 'trunk1' });
    expect(check('wrong')).toEqual({ ok: false, reason: 'bad_response' });
    expect(check('s3cret', 'BYE')).toEqual({ ok: false, reason: 'bad_response' });
  });

  it('answers an RFC 2069 challenge without qop and refuses non-Digest headers', () => {
    const c = parseDigestChallenge('Digest realm="r", nonce="n"');
    expect(c?.qop).toEqual([]);
    if (c) expect(buildDigestAuthorization(c, { username: 'u', password: 'p' }, { method: 'REGISTER', uri: 'sip:r' })).not.toContain('qop');
    expect(parseDigestChallenge('Basic realm="r"')).toBeUndefined();
    expect(parseDigestChallenge('Digest realm="r", nonce=')).toBeUndefined();
    expect(parseDigestChallenge('Digest realm="r", algorithm=MD4, nonce="n"')).toBeUndefined();
  });
});
