import { describe, expect, it } from 'vitest';
import { parseNumber } from './number.ts';

describe('parseNumber (compromise)', () => {
  it.each([
    ['twenty five', 25],
    ['four hundred', 400],
    ['four hundred and ten', 410],
    ['there are four of us', 4],
    ['about 25', 25],
    ['four one five', 415],
    ['two thousand twenty five', 2025],
  ])('%s → %d', (said, n) => expect(parseNumber(said, true)).toEqual({ value: n }));

  it('keeps fractions for numbers and rounds them, doubtfully, for integers', () => {
    expect(parseNumber('one point five', false)).toEqual({ value: 1.5 });
    expect(parseNumber('one point five', true)).toEqual({ value: 2, doubtful: true });
  });

  it('takes the first of two numbers as doubtful ("three or four"), and nothing from no number', () => {
    expect(parseNumber('three or four', true)).toEqual({ value: 3, doubtful: true });
    expect(parseNumber('not sure', true)).toBeNull();
  });
});
