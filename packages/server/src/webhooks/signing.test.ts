import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from './signing.ts';

const SECRET = 'whsec_' + '11'.repeat(32);
const BODY = '{"id":"wd_1","type":"call.completed"}';

describe('webhook signatures (webhooks.md → Signature)', () => {
  it('matches an independent HMAC of "<t>.<body>" (golden value)', () => {
    const independent = createHmac('sha256', SECRET).update(`1700000000.${BODY}`).digest('hex');
    expect(signatureHeader(SECRET, 1_700_000_000, BODY)).toBe(`t=1700000000,v1=${independent}`);
    expect(signatureHeader('whsec_test', 1, '{}')).toBe('t=1,v1=' + createHmac('sha256', 'whsec_test').update('1.{}').digest('hex'));
  });

  it('verifies, accepting any of several v1 values', () => {
    const h = signatureHeader(SECRET, 1000, BODY);
    expect(verifySignature(h, BODY, SECRET, 1000)).toEqual({ ok: true, timestampS: 1000 });
    expect(verifySignature(`t=1000,v1=${'0'.repeat(64)},${h.split(',')[1]}`, BODY, SECRET, 1000).ok).toBe(true);
  });

  it('rejects a wrong secret, a tampered body, a missing or malformed header and a stale timestamp', () => {
    const h = signatureHeader(SECRET, 1000, BODY);
    expect(verifySignature(h, BODY, 'whsec_other', 1000)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(h, BODY + ' ', SECRET, 1000)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(undefined, BODY, SECRET, 1000)).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature('v1=abc', BODY, SECRET, 1000)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature(h, BODY, SECRET, 1301)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(h, BODY, SECRET, 699)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(h, BODY, SECRET, 1300).ok).toBe(true);
  });
});
