import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { biasFor, rulesFor } from './bias.ts';
import { fieldsOf } from './fields.ts';
import NAMES from './names-en.json' with { type: 'json' };
import { requestWords } from './request-grammar.ts';

/** pocketsphinx's dictionary (Debian pocketsphinx-en-us): a grammar with a word outside it does not compile. */
const DICTIONARY = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';
const FIELDS = fieldsOf({ caller_name: 'string', reason: 'string', notes: 'string', phone: 'phone', n: 'integer', when: 'datetime', day: 'date', email: 'email', ok: 'boolean', service: ['a cleaning', 'a check up'] });

describe('recognition bias per question', () => {
  it('is a grammar for every closed-set answer and the general model for free text', () => {
    const kinds = FIELDS.map((f) => [f.path[0], biasFor({ field: f, confirming: false, echoed: null }).kind]);
    expect(kinds).toEqual([
      ['caller_name', 'grammar'],
      ['reason', 'grammar'],
      ['notes', 'general'],
      ['phone', 'grammar'],
      ['n', 'grammar'],
      ['when', 'grammar'],
      ['day', 'grammar'],
      ['email', 'grammar'],
      ['ok', 'grammar'],
      ['service', 'grammar'],
    ]);
    expect(rulesFor(FIELDS[2]!)).toBeNull();
  });

  it('widens the bias of a field re-opened by a "no": spelled names, the general model for a reason', () => {
    const [name, reason] = FIELDS;
    const spelled = biasFor({ field: name!, confirming: false, echoed: null, reopened: true });
    expect(spelled.kind === 'grammar' && spelled.jsgf).toContain('<letter>+');
    expect(biasFor({ field: reason!, confirming: false, echoed: null, reopened: true })).toEqual({ kind: 'general' });
  });

  it('names a grammar by its text, so an unchanged grammar is compiled once per recogniser', () => {
    const [name, reason] = FIELDS;
    const a = biasFor({ field: reason!, confirming: false, echoed: name! });
    const b = biasFor({ field: reason!, confirming: false, echoed: name! });
    const c = biasFor({ field: reason!, confirming: false, echoed: null });
    expect(a).toEqual(b);
    expect(a.kind === 'grammar' && c.kind === 'grammar' && a.name !== c.name).toBe(true);
  });

  it('asks a confirmation with yes/no, the value again, or "no" and a corrected value', () => {
    const bias = biasFor({ field: FIELDS[3]!, confirming: true, echoed: null });
    expect(bias.kind === 'grammar' && bias.jsgf).toMatch(/<g0_yes> = yes \| yeah/);
    expect(bias.kind === 'grammar' && bias.jsgf).toContain('you can reach me at');
  });

  it.skipIf(!fs.existsSync(DICTIONARY))('uses only words in the pocketsphinx dictionary, in every combination', () => {
    const known = new Set(fs.readFileSync(DICTIONARY, 'utf8').split('\n').map((l) => l.split(' ')[0]));
    const unknown = new Set<string>();
    for (const w of [...NAMES.first, ...NAMES.last, ...requestWords()]) if (!known.has(w)) unknown.add(w);
    for (const field of FIELDS) {
      for (const echoed of [null, ...FIELDS]) {
        for (const confirming of [false, true]) {
          for (const reopened of [false, true]) {
            const b = biasFor({ field, confirming, echoed, reopened });
            if (b.kind !== 'grammar') continue;
            const words = b.jsgf.split('\n').slice(2).join(' ').replace(/<[^>]+>|public/g, ' ').replace(/[=;|()[\]+*]/g, ' ').split(/\s+/);
            for (const w of words) if (w && !known.has(w)) unknown.add(w);
          }
        }
      }
    }
    expect([...unknown]).toEqual([]);
  });
});
