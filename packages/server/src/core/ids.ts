import { monotonicFactory } from 'ulid';

/** Resource id prefixes of `api.md` → Conventions. */
export type IdPrefix = 'org' | 'key' | 'ag' | 'pn' | 'call' | 'cev' | 'we' | 'wd' | 'trk' | 'req';

// monotonicFactory keeps ids sorted within one millisecond (plain ulid() does not).
const nextUlid = monotonicFactory();

/** A new prefixed, time-sortable id such as `ag_01M8ETQRQYB674P79TS8542YJ2`. */
export function newId(prefix: IdPrefix, nowMs?: number): string {
  return `${prefix}_${nextUlid(nowMs)}`;
}
