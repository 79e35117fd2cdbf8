import { describe, expect, it } from 'vitest';
import { parsePhone, speakDigits } from './phone.ts';
import { spokenDigits } from './spoken-digits.ts';

const ctx = { now: 0, timezone: 'UTC', defaultCountry: 'US' as const };

describe('spokenDigits', () => {
  it.each([
    ['four one five five five five zero one three four', '4155550134'],
    ['four one five double five five oh one three four', '4155550134'],
    ['triple five', '555'],
    ['four fifteen five five five oh one thirty four', '4155550134'],
    ['fifty five sixty six', '5566'],
    ['eight hundred five five five', '800555'],
    ['415 555 0134', '4155550134'],
    ['plus four four', '+44'],
  ])('%s → %s', (said, digits) => expect(spokenDigits(said)).toBe(digits));

  it('does not read a lone "o" at the start as zero', () => expect(spokenDigits('o k one')).toBe('1'));
});

describe('parsePhone (libphonenumber-js, default country US)', () => {
  it('reads a US number said digit by digit after a lead-in as E.164', () => {
    expect(parsePhone('you can reach me at four one five five five five zero one three four', ctx)).toEqual({ value: '+14155550134', doubtful: false, spoken: '4 1 5, 5 5 5, 0 1 3 4' });
  });

  it('takes a country code said with "plus" and says it back', () => {
    const p = parsePhone('plus four four two zero seven nine four six zero nine five eight', ctx);
    expect(p?.value).toBe('+442079460958');
    expect(p?.spoken).toMatch(/^plus 4 4, /);
  });

  it('refuses too few digits and flags a possible-but-invalid number as doubtful', () => {
    expect(parsePhone('five five five', ctx)).toBeNull();
    expect(parsePhone('one two three four five six seven eight nine zero', ctx)?.doubtful ?? true).toBe(true);
  });

  it('groups ten digits 3-3-4 for speech', () => expect(speakDigits('2125550199')).toBe('2 1 2, 5 5 5, 0 1 9 9'));
});
