import { describe, expect, it } from 'vitest';
import { joinSpelled, parseName, parseText } from './text.ts';

describe('parseName', () => {
  it.each([
    ['hi my name is ada lovelace', 'Ada Lovelace'],
    ['this is john smith speaking', 'John Smith'],
    ['um yes it is grace hopper', 'Grace Hopper'],
    ["it's mary-jane o'brien", "Mary-Jane O'Brien"],
    ['a d a lovelace', 'Ada Lovelace'],
    ['Ada.', 'Ada'],
  ])('%s → %s', (said, name) => expect(parseName(said)).toEqual({ value: name }));

  it('does not take a question or a long sentence for a name', () => {
    expect(parseName('do you take insurance')).toBeNull();
    expect(parseName('well I was wondering whether the office is open on saturday')).toBeNull();
  });

  it('joins spelled letters', () => expect(joinSpelled('it is l o v e lace')).toBe('it is love lace'));
});

describe('parseText', () => {
  it('drops carriers and fillers, keeps the caller’s words', () => {
    expect(parseText("I'd like to move my cleaning to next week")).toEqual({ value: "I'd like to move my cleaning to next week" });
    expect(parseText("um i'm calling because uh my tooth hurts")).toEqual({ value: 'My tooth hurts' });
    expect(parseText('the reason is i need a new appointment')).toEqual({ value: 'I need a new appointment' });
    expect(parseText('um uh')).toBeNull();
  });
});
