/**
 * Regenerates `names-en.json`, the first and last names the intake dialogue's name grammar
 * offers the recogniser: `node --import tsx packages/server/src/engine/intake/generate-names.ts`.
 *
 * Source: the person-name lexicon of compromise (already our NLP dependency; 3,180 first and 912
 * last names, curated and tagged as names, so no common words such as "may" or "will" that a
 * raw census list brings), kept to the words pocketsphinx's dictionary can pronounce (a grammar
 * with an unknown word does not compile). Measured (README of providers/local): a 56,000-name
 * list from the `humannames` package took 38 s to compile and 6.5 s per utterance to decode, and
 * was no more accurate; this one compiles in about a second and decodes in under one.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const DICTIONARY = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';

const require = createRequire(import.meta.url);
const nlp = require('compromise') as { model(): { one: { lexicon: Record<string, string | string[]> } } };
const lexicon = nlp.model().one.lexicon;
const known = new Set(fs.readFileSync(DICTIONARY, 'utf8').split('\n').map((l) => l.split(' ')[0] ?? '').filter((w) => w && !w.includes('(')));
const tagged = (re: RegExp): string[] =>
  Object.entries(lexicon)
    .filter(([w, t]) => /^[a-z']+$/.test(w) && known.has(w) && (Array.isArray(t) ? t : [t]).some((x) => re.test(x)))
    .map(([w]) => w)
    .sort();
const out = { source: 'compromise lexicon ∩ cmudict-en-us.dict (generate-names.ts)', first: tagged(/^(FirstName|MaleName|FemaleName)$/), last: tagged(/^LastName$/) };
fs.writeFileSync(path.join(import.meta.dirname, 'names-en.json'), JSON.stringify(out) + '\n');
console.log(`first ${out.first.length}, last ${out.last.length}`);
