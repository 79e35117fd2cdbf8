import { describe, expect, it } from 'vitest';
import { sentences } from './sentence-chunker.ts';

async function collect(pieces: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const s of sentences(pieces)) out.push(s);
  return out;
}

describe('sentence chunker', () => {
  it('splits a reply streamed token by token', async () => {
    const text = 'Thanks, Ada! Your cleaning moves to Tuesday. Is 3.30 pm okay? Dr. Smith will see you';
    const tokens = text.match(/.{1,3}/gs) ?? [];
    expect(await collect(tokens)).toEqual(['Thanks, Ada!', 'Your cleaning moves to Tuesday.', 'Is 3.30 pm okay?', 'Dr. Smith will see you']);
  });

  it('waits for the character after a period before deciding', async () => {
    expect(await collect(['Call 415.', '555.', ' Bye.'])).toEqual(['Call 415.555.', 'Bye.']);
  });

  it('yields nothing for empty or blank input', async () => {
    expect(await collect([])).toEqual([]);
    expect(await collect(['  ', '\n'])).toEqual([]);
  });
});
