/**
 * What one extraction run produced (calls.md → Structured results): the `result` stored on the
 * call, its `result_status` and `result_error`, and the `extraction` call event's data.
 */

/** One transcript segment as the extraction reads it (`transcript_segments` rows fit). */
export interface TranscriptLine {
  /** The segment's number in the call (`sequence_no`), the unit of `evidence`. */
  readonly sequence_no: number;
  readonly role: 'agent' | 'caller' | 'tool' | 'system';
  readonly text: string;
}

export interface ExtractionOutcome {
  readonly status: 'completed' | 'failed';
  /** Every top-level `returns` key (undiscussed → null); `null` when the call has no `returns`. */
  readonly result: Record<string, unknown> | null;
  /** Why it failed (validation problems or the provider's error), for `result_error`. */
  readonly error: string | null;
  /** For each field, the transcript segment numbers its value came from. */
  readonly evidence: Record<string, number[]>;
  /** A repair attempt was needed (the first answer did not validate). */
  readonly repaired: boolean;
  /** The model that answered (`local-intake` for the offline dialogue's own values). */
  readonly model: string;
  readonly durationMs: number;
}

/** The `extraction` call event's data (calls.md → Call events). */
export function extractionEventData(o: ExtractionOutcome): Record<string, unknown> {
  return { status: o.status, model: o.model, duration_ms: Math.round(o.durationMs), evidence: o.evidence, repaired: o.repaired, ...(o.error ? { error: o.error } : {}) };
}

/** `{key: null}` for every key. */
export function allNull(keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, null]));
}
