import { describe, expect, it } from 'vitest';
import { choiceGrammar, digitsFromWords, digitsGrammar, yesNoGrammar } from './grammars.ts';

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
});
