import { webcrypto } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/** Resource id prefixes of `api.md` → Conventions. */
export type IdPrefix = 'org' | 'key' | 'ag' | 'pn' | 'call' | 'cev' | 'we' | 'wd' | 'trk' | 'req';

// ulid's default source asks for one random byte per character, 16 native calls for each id in a
// new millisecond (the profile of a list request put ~5 % of the server's CPU there, the request id
// being one per request). The same CSPRNG bytes, drawn from a pool refilled 4 KiB at a time.
const POOL = new Uint8Array(4096);
let nextByte = POOL.length;
function randomFraction(): number {
  if (nextByte === POOL.length) {
    webcrypto.getRandomValues(POOL);
    nextByte = 0;
  }
  return POOL[nextByte++]! / 256; // as ulid's own source: [0, 1) in steps of 1/256
}

// monotonicFactory keeps ids sorted within one millisecond (plain ulid() does not).
const nextUlid = monotonicFactory(randomFraction);

/** A new prefixed, time-sortable id such as `ag_01M8ETQRQYB674P79TS8542YJ2`. */
export function newId(prefix: IdPrefix, nowMs?: number): string {
  return `${prefix}_${nextUlid(nowMs)}`;
}
