import { describe, expect, it } from 'vitest';
import { AsyncQueue } from './async-queue.ts';

describe('AsyncQueue', () => {
  it('delivers pushed items in order, to a waiting or a late consumer, and ends after close()', async () => {
    const q = new AsyncQueue<number>();
    const got: number[] = [];
    const reading = (async () => {
      for await (const x of q) got.push(x);
    })();
    q.push(1);
    await Promise.resolve();
    q.push(2);
    q.push(3);
    q.close();
    q.push(4);
    await reading;
    expect(got).toEqual([1, 2, 3]);
  });

  it('drops the oldest items past maxItems', async () => {
    const q = new AsyncQueue<number>(2);
    for (const x of [1, 2, 3, 4]) q.push(x);
    q.close();
    const got: number[] = [];
    for await (const x of q) got.push(x);
    expect(got).toEqual([3, 4]);
    expect(q.dropped).toBe(2);
  });
});
