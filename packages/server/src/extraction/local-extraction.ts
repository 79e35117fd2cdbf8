/**
 * Extraction with no model (`CALLINGBOX_EXTRACTION_LLM=local`, providers.md → Offline defaults):
 * the result is the offline intake dialogue's own confirmed fields, validated against the same
 * JSON Schema as a model's answer. A value that is absent or does not validate becomes null —
 * there is nothing to repair with — and the extraction event names the source `local-intake`.
 */
import { allNull, type ExtractionOutcome } from './outcome.ts';
import { createResultValidator } from './result-validator.ts';
import { compileReturns, returnsKeys } from './returns-schema.ts';

/** The model name the `extraction` event carries for the dialogue's own values. */
export const LOCAL_EXTRACTION_MODEL = 'local-intake';

export interface LocalExtractionInput {
  readonly returns: unknown;
  /** The intake dialogue's confirmed fields (`Dialogue.filledFields()`); null when it filled none. */
  readonly fields: Readonly<Record<string, unknown>> | null;
  readonly timezone?: string | undefined;
  readonly now?: () => number;
}

/** Never fails: every field is the dialogue's valid value or null. */
export function extractFromDialogue(input: LocalExtractionInput): ExtractionOutcome {
  const now = input.now ?? (() => performance.now());
  const t0 = now();
  const keys = returnsKeys(input.returns);
  const base = { status: 'completed' as const, error: null, evidence: {}, repaired: false, model: LOCAL_EXTRACTION_MODEL };
  if (keys.length === 0) return { ...base, result: null, durationMs: now() - t0 };
  const validator = createResultValidator(compileReturns(input.returns, { timezone: input.timezone }));
  const fields = input.fields ?? {};
  const result: Record<string, unknown> = allNull(keys);
  for (const k of keys) if (fields[k] !== undefined) result[k] = fields[k];
  // Null out each top-level field with a problem until the whole validates (at most once per key).
  for (let i = 0; i <= keys.length; i += 1) {
    const v = validator.validate(result);
    if (v.ok) break;
    for (const issue of v.issues) {
      const key = issue.path.split(/[.[]/)[0];
      if (key && key in result) result[key] = null;
    }
  }
  return { ...base, result, durationMs: Math.max(0, now() - t0) };
}
