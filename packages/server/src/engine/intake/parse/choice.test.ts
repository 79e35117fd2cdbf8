import { describe, expect, it } from 'vitest';
import { parseChoice } from './choice.ts';
import { afterNo, parseYesNo } from './yes-no.ts';
import { parseEmail } from './email.ts';
import { dtmfDigits, dtmfKeys } from './dtmf.ts';

const SERVICES = ['cleaning', 'checkup', 'whitening', 'filling'];

describe('parseChoice', () => {
  it('matches the value itself, a paraphrase, a near spelling, or a position', () => {
    expect(parseChoice("i'd like a cleaning", SERVICES)).toEqual({ value: 'cleaning' });
    expect(parseChoice('cleanings please', SERVICES)).toEqual({ value: 'cleaning', doubtful: false });
    expect(parseChoice('a check up', SERVICES)).toMatchObject({ value: 'checkup' });
    expect(parseChoice('the second one', SERVICES)).toEqual({ value: 'checkup' });
    expect(parseChoice('2', SERVICES, { dtmf: true })).toEqual({ value: 'checkup' });
  });

  it('prefers the longer of two values both said, and returns null for none', () => {
    expect(parseChoice('a deep cleaning', ['cleaning', 'deep cleaning'])).toEqual({ value: 'deep cleaning' });
    expect(parseChoice('a haircut', SERVICES)).toBeNull();
  });

  it('maps yes/no words onto a yes/no enum', () => expect(parseChoice('yeah', ['yes', 'no', 'maybe'])).toEqual({ value: 'yes' }));
});

describe('parseYesNo and afterNo', () => {
  it.each([
    ['yes that is right', true],
    ['um yeah', true],
    ['of course', true],
    ['nope', false],
    ["no that's wrong", false],
    ['maybe', null],
  ])('%s → %s', (said, v) => expect(parseYesNo(said)).toBe(v));

  it('finds what follows a no', () => {
    expect(afterNo("no, it's Ada Lovelace")).toBe('Ada Lovelace');
    expect(afterNo('no')).toBe('');
    expect(afterNo('yes')).toBeNull();
  });
});

describe('parseEmail', () => {
  it('reads "at" and "dot", spelled letters and digits', () => {
    expect(parseEmail('ada dot lovelace at gmail dot com')).toEqual({ value: 'ada.lovelace@gmail.com', spoken: 'ada dot lovelace at gmail dot com' });
    expect(parseEmail("it's a d a one at example dot org")?.value).toBe('ada1@example.org');
    expect(parseEmail('ada at gmail')).toBeNull();
  });
});

describe('DTMF turns', () => {
  it('reads the engine’s [DTMF …] text', () => {
    expect(dtmfKeys('[DTMF 4155550134#]')).toBe('4155550134#');
    expect(dtmfDigits('4155550134#')).toBe('4155550134');
    expect(dtmfKeys('four one five')).toBeNull();
  });
});
