import type { Json } from '../store/schema.ts';

/**
 * The result of a connected call that has no dialogue transcript to extract from (the stand-in
 * session): every `returns` key present and `null`, as calls.md says of undiscussed keys. With no
 * `returns` schema the result is `null`. The voice engine's extraction replaces this.
 */
export function resultWithoutTranscript(returns: Json | undefined): { result: Json } {
  if (!returns || typeof returns !== 'object' || Array.isArray(returns)) return { result: null };
  return { result: Object.fromEntries(Object.keys(returns).map((k) => [k, null])) };
}
