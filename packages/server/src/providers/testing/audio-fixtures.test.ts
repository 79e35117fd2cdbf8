import { describe, expect, it } from 'vitest';
import { frames, noise, normaliseWords, wordErrorRate, wordErrors } from './audio-fixtures.ts';

describe('test audio and WER', () => {
  it('normalises punctuation and spells digits one by one', () => {
    expect(normaliseWords('You can reach me at 415 555 0134.')).toEqual('you can reach me at four one five five five five zero one three four'.split(' '));
    expect(normaliseWords("I'd like, oh, two")).toEqual(["i'd", 'like', 'zero', 'two']);
  });

  it('counts substitutions, insertions and deletions', () => {
    expect(wordErrors('hi my name is ada lovelace', 'hi my name is rachel of late')).toEqual({ errors: 3, words: 6 });
    expect(wordErrors('yes', '')).toEqual({ errors: 1, words: 1 });
    expect(wordErrorRate([['a b c d', 'a b c d'], ['e f', 'e x']])).toBeCloseTo(1 / 6);
  });

  it('cuts 20 ms frames with media times and seeds noise', () => {
    const f = frames(new Int16Array(400), 8000, { startMs: 100 });
    expect(f.map((x) => [x.startMs, x.samples.length])).toEqual([[100, 160], [120, 160], [140, 160]]);
    expect(Array.from(noise(8000, 1, 100, 5))).toEqual(Array.from(noise(8000, 1, 100, 5)));
  });
});
