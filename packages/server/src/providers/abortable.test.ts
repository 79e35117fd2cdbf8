import { describe, expect, it } from 'vitest';
import { untilAborted } from './abortable.ts';

describe('untilAborted', () => {
  it('passes items through and ends with the source', async () => {
    const out: number[] = [];
    const source = (async function* () {
      yield* [1, 2, 3];
    })();
    for await (const x of untilAborted(source, new AbortController().signal)) out.push(x);
    expect(out).toEqual([1, 2, 3]);
  });

  it('ends quietly at once when aborted while the source is waiting, and removes its listener', async () => {
    const ac = new AbortController();
    let returned = false;
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<number>>(() => undefined), // a silent line
        return: () => {
          returned = true;
          return Promise.resolve({ done: true as const, value: undefined });
        },
      }),
    };
    setTimeout(() => ac.abort(), 5);
    const out: number[] = [];
    for await (const x of untilAborted(source, ac.signal)) out.push(x);
    expect(out).toEqual([]);
    expect(returned).toBe(true);
  });

  it('yields nothing when already aborted', async () => {
    const out: number[] = [];
    for await (const x of untilAborted((async function* () { yield 1; })(), AbortSignal.abort())) out.push(x);
    expect(out).toEqual([]);
  });
});
