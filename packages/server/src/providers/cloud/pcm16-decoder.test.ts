import { describe, expect, it } from 'vitest';
import { Pcm16Decoder } from './pcm16-decoder.ts';

describe('Pcm16Decoder', () => {
  it('decodes little-endian samples however the bytes are split across reads', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 258, -300]);
    const bytes = new Uint8Array(samples.buffer.slice(0));
    for (const cut of [[1], [3, 4], [1, 2, 3, 5, 13], [7, 7]]) {
      const d = new Pcm16Decoder();
      const out: number[] = [];
      let at = 0;
      for (const c of [...cut, bytes.length]) {
        out.push(...d.decode(bytes.subarray(at, Math.max(at, c))));
        at = Math.max(at, c);
      }
      expect(out).toEqual(Array.from(samples));
      expect(d.pending).toBe(false);
    }
  });

  it('keeps an odd trailing byte pending', () => {
    const d = new Pcm16Decoder();
    expect(Array.from(d.decode(Uint8Array.from([1, 0, 7])))).toEqual([1]);
    expect(d.pending).toBe(true);
    expect(Array.from(d.decode(Uint8Array.from([1])))).toEqual([0x0107]);
  });
});
