import { describe, expect, it } from 'vitest';
import { EventChannel } from './event-channel.ts';

describe('EventChannel', () => {
  it('delivers items pushed before and while the consumer waits, then ends', async () => {
    const ch = new EventChannel<number>();
    ch.push(1);
    const out: number[] = [];
    const run = (async () => {
      for await (const x of ch) out.push(x);
    })();
    ch.push(2);
    await new Promise((r) => setImmediate(r));
    ch.push(3);
    ch.end();
    ch.push(4); // after the end: ignored
    await run;
    expect(out).toEqual([1, 2, 3]);
  });

  it('throws the failure after the items queued before it, and the first of end/fail wins', async () => {
    const ch = new EventChannel<string>();
    ch.push('a');
    ch.fail(new Error('dropped'));
    ch.end();
    const out: string[] = [];
    await expect(
      (async () => {
        for await (const x of ch) out.push(x);
      })(),
    ).rejects.toThrow('dropped');
    expect(out).toEqual(['a']);
  });

  it('wakes a waiting consumer with the failure', async () => {
    const ch = new EventChannel<string>();
    const next = ch[Symbol.asyncIterator]().next();
    ch.fail(new Error('gone'));
    await expect(next).rejects.toThrow('gone');
  });
});
