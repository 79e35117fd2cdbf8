/**
 * Who may send an INVITE (`telephony.md`): sandbox numbers accept loopback plus
 * `CALLINGBOX_SANDBOX_ALLOWED_CIDRS`; a SIP trunk accepts its `inbound_addresses`. Built on
 * `node:net` `BlockList`, which matches IPv4 and IPv6 subnets (and IPv4-mapped IPv6 addresses).
 */
import net from 'node:net';

/** A compiled set of CIDRs / single addresses. */
export interface SourceAllowlist {
  allows(address: string): boolean;
}

/** Loopback, always allowed for sandbox numbers (the CLI dialer, local softphones, tests). */
export const LOOPBACK_CIDRS: readonly string[] = ['127.0.0.0/8', '::1/128'];

/**
 * Compiles CIDRs (`10.0.0.0/8`, `2001:db8::/32`) and bare addresses (`203.0.113.7`). Throws
 * `RangeError` naming the first entry that is neither (configuration errors fail fast).
 */
export function compileAllowlist(entries: readonly string[]): SourceAllowlist {
  const list = new net.BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    const [addr = '', bits] = entry.split('/');
    const family = net.isIPv4(addr) ? 'ipv4' : net.isIPv6(addr) ? 'ipv6' : undefined;
    const prefix = bits === undefined ? (family === 'ipv4' ? 32 : 128) : Number(bits);
    const max = family === 'ipv4' ? 32 : 128;
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > max || (bits !== undefined && !/^\d+$/.test(bits))) {
      throw new RangeError(`not an IP address or CIDR: '${entry}'`);
    }
    list.addSubnet(addr, prefix, family);
  }
  return {
    allows: (address) => {
      const a = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
      const family = net.isIPv4(a) ? 'ipv4' : net.isIPv6(a) ? 'ipv6' : undefined;
      return family !== undefined && list.check(a, family);
    },
  };
}
