import { describe, expect, it } from 'vitest';
import { SentenceAlignment } from './sentence-alignment.ts';

const chars = (s: string): string[] => [...s];

describe('SentenceAlignment', () => {
  it('follows the alignment characters from one sentence to the next', () => {
    const a = new SentenceAlignment();
    a.add(0, 'Hello there.');
    a.add(1, 'How are you?');
    const seen = [' Hello', ' there.', 'How ', 'are you? '].map((c) => a.attribute(chars(c))?.index);
    expect(seen).toEqual([0, 0, 1, 1]);
  });

  it('keeps the current sentence for chunks without alignment, and for the next sentence not yet sent', () => {
    const a = new SentenceAlignment();
    expect(a.attribute(chars('x'))).toBeUndefined();
    a.add(0, 'One.');
    expect(a.attribute(undefined)).toEqual({ index: 0, sentence: 'One.' });
    expect(a.attribute(chars('One.'))?.index).toBe(0);
    expect(a.attribute(chars('more'))?.index).toBe(0); // nothing else was sent yet
    a.add(1, 'Two.');
    expect(a.attribute(chars('Two.'))?.index).toBe(1);
  });

  it('moves on when the next sentence starts although the count fell short (normalised text)', () => {
    const a = new SentenceAlignment();
    a.add(0, 'It costs twenty dollars.');
    a.add(1, 'Anything else?');
    expect(a.attribute(chars('It costs $20.'))?.index).toBe(0);
    expect(a.attribute(chars('Anything'))?.index).toBe(1);
  });
});
