import { describe, expect, it } from 'vitest';
import { choiceGrammar, digitsFromWords, digitsGrammar, digitsRules, nameRules, oneOf, toGrammar, yesNoGrammar, yesNoRules } from './grammars.ts';

describe('recognition grammars', () => {
  it('builds a JSGF digits grammar with lead-in phrases', () => {
    const g = digitsGrammar();
    expect(g.kind).toBe('grammar');
    if (g.kind !== 'grammar') return;
    expect(g.jsgf).toContain('public <digits> = [<carrier>] <digit>+;');
    expect(g.jsgf).toContain('you can reach me at');
    expect(digitsGrammar({ carrierPhrases: [] }).kind === 'grammar' && (digitsGrammar({ carrierPhrases: [] }) as { jsgf: string }).jsgf).toContain('public <digits> = <digit>+;');
  });

  it('lower-cases and strips punctuation from enum values so every word can be in the dictionary', () => {
    const g = choiceGrammar('service', ['A Cleaning', 'Check-up!']);
    expect(g.kind === 'grammar' && g.jsgf).toContain('<value> = a cleaning | check up;');
    expect(yesNoGrammar().kind).toBe('grammar');
  });

  it('reads digits from recognised words', () => {
    expect(digitsFromWords('you can reach me at four one five five five five zero one three four')).toBe('4155550134');
    expect(digitsFromWords('oh double seven nine')).toBe('0779');
  });

  it('composes grammars with oneOf, prefixing the rules of each part so their names cannot clash', () => {
    const g = toGrammar('answer-or-no', oneOf(digitsRules([]), yesNoRules()));
    expect(g.kind === 'grammar' && g.jsgf).toContain('public <answer> = ( <g0_digit>+ ) | ( <g1_yes>+ | <g1_no>+ );');
    expect(g.kind === 'grammar' && g.jsgf).toContain('<g0_digit> = <g0_d> | double <g0_d> | triple <g0_d>;');
    expect(g.kind === 'grammar' && g.jsgf).toContain('<g1_no> = no | nope');
  });

  it('offers spelled letters in a name grammar only when asked to', () => {
    const plain = nameRules({ carriers: ['my name is'], firstNames: ['Ada'], lastNames: ["O'Brien"] });
    expect(plain.root).not.toContain('<letter>');
    expect(plain.rules).toMatchObject({ first: 'ada', last: "o'brien" });
    expect(nameRules({ carriers: [], firstNames: ['ada'], lastNames: [], spelled: true }).root).toContain('<letter>+');
  });
});

