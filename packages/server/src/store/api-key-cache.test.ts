import { describe, expect, it } from 'vitest';
import type { Clock } from '../core/clock.ts';
import { API_KEY_CACHE_TTL_MS, ApiKeyCache } from './api-key-cache.ts';

const key = { keyId: 'key_1', orgId: 'org_1' };

/** Only `now()` matters to the cache. */
class FakeClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  sleep(): Promise<void> {
    throw new Error('not used');
  }
}

describe('ApiKeyCache', () => {
  it('answers a key for the TTL, then asks again', () => {
    const clock = new FakeClock(0);
    const cache = new ApiKeyCache(clock);
    expect(cache.get('h')).toBeUndefined();
    cache.set('h', key, null, cache.ticket());
    expect(cache.get('h')).toEqual(key);
    clock.advance(API_KEY_CACHE_TTL_MS - 1);
    expect(cache.get('h')).toEqual(key);
    clock.advance(1);
    expect(cache.get('h')).toBeUndefined();
  });

  it("refuses a cached key from its own expires_at on, whatever the TTL", () => {
    const clock = new FakeClock(0);
    const cache = new ApiKeyCache(clock, 60_000);
    cache.set('h', key, 500, cache.ticket());
    clock.advance(499);
    expect(cache.get('h')).toEqual(key);
    clock.advance(1);
    expect(cache.get('h')).toBeUndefined();
  });

  it('forgets everything on eviction, and a lookup begun before it does not refill', () => {
    const cache = new ApiKeyCache(new FakeClock(0));
    cache.set('h', key, null, cache.ticket());
    // A lookup reads the row, then the key is revoked (and evicted) before the lookup stores it.
    const ticket = cache.ticket();
    cache.evictAll();
    expect(cache.get('h')).toBeUndefined();
    cache.set('h', key, null, ticket);
    expect(cache.get('h')).toBeUndefined();
    cache.set('h', key, null, cache.ticket());
    expect(cache.get('h')).toEqual(key);
  });

  it('keeps at most 10,000 keys, dropping the oldest', () => {
    const cache = new ApiKeyCache(new FakeClock(0));
    for (let i = 0; i <= 10_000; i++) cache.set(`h${i}`, key, null, cache.ticket());
    expect(cache.get('h0')).toBeUndefined();
    expect(cache.get('h1')).toEqual(key);
    expect(cache.get('h10000')).toEqual(key);
  });

  it('a TTL of 0 caches nothing', () => {
    const cache = new ApiKeyCache(new FakeClock(0), 0);
    cache.set('h', key, null, cache.ticket());
    expect(cache.get('h')).toBeUndefined();
  });
});
