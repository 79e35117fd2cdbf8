import { describe, expect, it } from 'vitest';
import { PlayoutQueue } from './playout-queue.ts';

describe('PlayoutQueue', () => {
  it('re-chunks to 160 samples, pads the tail, marks the talkspurt start, resolves when sent', async () => {
    const q = new PlayoutQueue();
    const seg = q.open();
    seg.append(new Int16Array(100).fill(1));
    expect(q.take()).toBeUndefined(); // underrun: less than a frame and more may come
    seg.append(new Int16Array(150).fill(2));
    seg.finish();
    const a = q.take();
    const b = q.take();
    expect(a?.talkspurtStart).toBe(true);
    expect(b?.talkspurtStart).toBe(false);
    expect([a?.samples[99], a?.samples[100], b?.samples[89], b?.samples[90]]).toEqual([1, 2, 2, 0]);
    expect(await seg.done).toEqual({ playedMs: 31, completed: true });
    expect(q.take()).toBeUndefined();
  });

  it('clear() resolves every segment with what was really sent', async () => {
    const q = new PlayoutQueue();
    const one = q.open();
    one.append(new Int16Array(800));
    one.finish();
    const two = q.open();
    two.append(new Int16Array(800));
    q.take();
    q.take();
    q.clear();
    expect(await one.done).toEqual({ playedMs: 40, completed: false });
    expect(await two.done).toEqual({ playedMs: 0, completed: false });
    expect(q.busy).toBe(false);
  });

  it('marks the first frame after an underrun as a new talkspurt', () => {
    const q = new PlayoutQueue();
    const seg = q.open();
    seg.append(new Int16Array(160));
    expect(q.take()?.talkspurtStart).toBe(true);
    expect(q.take()).toBeUndefined();
    seg.append(new Int16Array(160));
    expect(q.take()?.talkspurtStart).toBe(true);
  });
});
