import dns from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * The private-address guard of webhooks.md and calls.md → Tools: a target that resolves to a
 * private, loopback, link-local, CGNAT, multicast or reserved address is refused unless
 * `CALLINGBOX_ALLOW_PRIVATE_WEBHOOKS=true`. The check runs inside the connection's DNS lookup, so
 * the socket goes to exactly the address that was checked (no DNS-rebinding window).
 */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96]] as const) PRIVATE.addSubnet(net, bits, 'ipv6');

/** True for addresses a webhook must not reach by default (IPv4-mapped IPv6 included). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1]! : address;
  const family = isIP(ip);
  if (family === 0) return true;
  return PRIVATE.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** Raised (through the lookup callback) when a target resolves to a refused address. */
export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a private or reserved address; set CALLINGBOX_ALLOW_PRIVATE_WEBHOOKS=true to allow it`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;
type Resolver = (host: string, cb: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void;

const systemResolver: Resolver = (host, cb) => dns.lookup(host, { all: true, verbatim: true }, cb);

/** A `lookup` for `net.connect`: resolves once, refuses private answers unless allowed. */
export function guardedLookup(allowPrivate: boolean, resolve: Resolver = systemResolver) {
  return (host: string, options: dns.LookupOptions, cb: LookupCallback): void => {
    resolve(host, (err, addresses) => {
      if (err) return cb(err, '');
      const refused = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (refused) return cb(new PrivateAddressError(host, refused.address) as NodeJS.ErrnoException, '');
      const usable = addresses.filter((a) => !options.family || a.family === options.family);
      const first = usable[0];
      if (!first) return cb(Object.assign(new Error(`no address for ${host}`), { code: 'ENOTFOUND' }), '');
      if (options.all) return cb(null, usable);
      cb(null, first.address, first.family);
    });
  };
}
