import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('newId', () => {
  it('is a prefixed 26-character Crockford ULID, sorted within and across milliseconds', () => {
    const ids = [newId('call', 1_700_000_000_000), newId('call', 1_700_000_000_000), newId('call', 1_700_000_000_001)];
    for (const id of ids) expect(id).toMatch(/^call_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
  });

  it('draws fresh randomness across pool refills (no repeats over 10,000 new milliseconds)', () => {
    const randomParts = new Set(Array.from({ length: 10_000 }, (_, i) => newId('req', 1_800_000_000_000 + i * 1000).slice(-16)));
    expect(randomParts.size).toBe(10_000);
  });
});
