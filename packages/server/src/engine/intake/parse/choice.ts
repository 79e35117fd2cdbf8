/** An enum value from the caller's words: the value itself, a close paraphrase, or its position. */
import { parseYesNo } from './yes-no.ts';
import type { Parsed } from './types.ts';

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
const STOP = new Set(['a', 'an', 'the', 'i', "i'd", 'like', 'want', 'would', 'please', 'it', "it's", 'is', 'to', 'my', 'one', 'for', 'of', 'be', 'get', 'have']);

/**
 * Exact value (whole words) wins; then the value with the most of its content words said (stems
 * compared, "cleanings" ≈ "cleaning"); then a near spelling (edit distance ≤ 2); then "the first
 * one" / keypad digit. A yes/no enum also takes "yeah" / "nope". Several equally good values → null.
 */
export function parseChoice(text: string, values: readonly string[], opts: { dtmf?: boolean } = {}): Parsed<string> | null {
  const said = norm(text);
  if (opts.dtmf) {
    const i = Number(said) - 1;
    return Number.isInteger(i) && i >= 0 && i < values.length ? { value: values[i] as string } : null;
  }
  const exact = values.filter((v) => norm(v) && ` ${said} `.includes(` ${norm(v)} `));
  if (exact.length >= 1) return { value: longest(exact) };
  const words = said.split(' ').filter((w) => w && !STOP.has(w)).map(stem);
  const scored = values.map((v) => {
    const content = norm(v).split(' ').filter((w) => w && !STOP.has(w)).map(stem);
    const hits = content.filter((c) => words.some((w) => w === c || (c.length > 4 && editDistance(w, c) <= 2))).length;
    return { v, score: content.length ? hits / content.length : 0 };
  });
  const best = Math.max(...scored.map((s) => s.score));
  const top = scored.filter((s) => s.score === best);
  if (best > 0 && top.length === 1) return { value: (top[0] as { v: string }).v, doubtful: best < 1 };
  const ord = ORDINALS.findIndex((o) => ` ${said} `.includes(` ${o} `));
  if (ord >= 0 && ord < values.length) return { value: values[ord] as string };
  const yn = parseYesNo(text);
  if (yn !== null) {
    const match = values.find((v) => parseYesNo(v) === yn && norm(v).split(' ').length <= 2);
    if (match) return { value: match };
  }
  return null;
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9' ]/g, ' ').replace(/\s+/g, ' ').trim();
}

function longest(xs: string[]): string {
  return xs.reduce((a, b) => (norm(b).length > norm(a).length ? b : a));
}

/** A crude English stem: enough to match "cleanings"/"cleaning", "checked"/"check". */
function stem(w: string): string {
  return w.replace(/s$/, '').replace(/(ing|ed|e)$/, '') || w;
}

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] as number;
}
