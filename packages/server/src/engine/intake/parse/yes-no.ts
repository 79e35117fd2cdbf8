/** Yes or no, the many ways callers say them. */

const YES = /^(yes|yeah|yea|yep|yup|sure|correct|right|ok|okay|absolutely|definitely|certainly|of course|affirmative|please|i do|i am|i have|i will|we do|we are|that's right|that is right|that's correct|that is correct|exactly|sounds good|uh huh)\b/;
const NO = /^(no|nope|nah|not really|not at all|negative|never|incorrect|wrong|that's wrong|that is wrong|i don't|i do not|i'm not|i am not|i haven't|i have not|we don't|we are not|not)\b/;
const LEAD = /^(um+|uh+|er+|well|oh|so|hmm+|ah+)\s+/;

/** `true`, `false`, or null when the words say neither (or both). */
export function parseYesNo(text: string): boolean | null {
  let t = text.toLowerCase().replace(/[^a-z' ]/g, ' ').replace(/\s+/g, ' ').trim();
  while (LEAD.test(t)) t = t.replace(LEAD, '');
  const yes = YES.test(t);
  const no = NO.test(t);
  if (yes === no) return null;
  return yes;
}

/** The words after a leading "no" ("no, it's Ada" → "it's Ada"); null when the turn does not open with a no. */
export function afterNo(text: string): string | null {
  const m = /^\s*(?:(?:um+|uh+|oh|well),?\s+)?(?:no|nope|nah|not quite|that's wrong|that is wrong|that's not right|that is not right|wrong|actually)\b[\s,.!-]*(?:(?:it's|it is|i said|that's|that is|i meant)\b\s*)?(.*)$/i.exec(text);
  return m ? (m[1] as string).trim() : null;
}
