/**
 * Digit strings from the caller's words, the way people say phone and account numbers: one by
 * one ("four one five"), "oh" for zero, "double five", in pairs ("fifty five sixty six"),
 * "eight hundred", and figures when the recogniser writes them ("415 555 0134").
 */

const UNITS: Readonly<Record<string, number>> = { zero: 0, oh: 0, o: 0, nought: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9 };
const TEENS: Readonly<Record<string, number>> = { ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19 };
const TENS: Readonly<Record<string, number>> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };

/** The digits said in `text`, in order ("" when none). A leading "plus" keeps a `+`. */
export function spokenDigits(text: string): string {
  const words = text.toLowerCase().replace(/[-,.]/g, ' ').split(/\s+/).filter(Boolean);
  let out = '';
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const next = words[i + 1] ?? '';
    if (/^\+?\d+$/.test(w)) {
      out += w;
      continue;
    }
    if (w === 'plus' && out === '') {
      out = '+';
      continue;
    }
    if ((w === 'double' || w === 'triple') && UNITS[next] !== undefined) {
      out += String(UNITS[next]).repeat(w === 'double' ? 2 : 3);
      i += 1;
      continue;
    }
    // "o" alone is a letter the recogniser may write for "oh"; only between digits.
    if (UNITS[w] !== undefined && (w !== 'o' || out !== '')) {
      out += String(UNITS[w]);
      continue;
    }
    if (TEENS[w] !== undefined) {
      out += String(TEENS[w]);
      continue;
    }
    if (TENS[w] !== undefined) {
      const unit = UNITS[next];
      if (unit !== undefined && unit > 0 && next !== 'oh' && next !== 'o') {
        out += String((TENS[w] as number) + unit);
        i += 1;
      } else out += String(TENS[w]);
      continue;
    }
    if (w === 'hundred' && out !== '') out += '00';
    else if (w === 'thousand' && out !== '') out += '000';
  }
  return out;
}
