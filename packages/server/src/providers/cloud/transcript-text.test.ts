import { describe, expect, it } from 'vitest';
import { normaliseTranscript } from './transcript-text.ts';

describe('normaliseTranscript', () => {
  it.each([
    ['Tell me more about this.', 'tell me more about this'],
    ['  Yes,   please!  ', 'yes please'],
    ["It's 3.5 o'clock, e-mail me.", "it's 3.5 o'clock e-mail me"],
    ['"Quoted" — dash', 'quoted dash'],
    ['', ''],
    ['...', ''],
  ])('%j → %j', (input, want) => expect(normaliseTranscript(input)).toBe(want));
});
