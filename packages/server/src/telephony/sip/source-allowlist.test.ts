import { describe, expect, it } from 'vitest';
import { LOOPBACK_CIDRS, compileAllowlist } from './source-allowlist.ts';

describe('compileAllowlist', () => {
  it('matches IPv4 and IPv6 subnets, single addresses and IPv4-mapped addresses', () => {
    const a = compileAllowlist([...LOOPBACK_CIDRS, '10.1.0.0/16', '203.0.113.7', '2001:db8::/32']);
    for (const ok of ['127.0.0.1', '127.9.9.9', '::1', '10.1.200.3', '203.0.113.7', '::ffff:10.1.0.1', '2001:db8::42']) expect(a.allows(ok)).toBe(true);
    for (const no of ['10.2.0.1', '203.0.113.8', '2001:db9::1', 'not-an-ip', '']) expect(a.allows(no)).toBe(false);
  });

  it('fails fast on a bad entry', () => {
    expect(() => compileAllowlist(['10.0.0.0/33'])).toThrow(RangeError);
    expect(() => compileAllowlist(['example.com'])).toThrow(/example\.com/);
    expect(() => compileAllowlist(['10.0.0.0/x'])).toThrow(RangeError);
  });
});
