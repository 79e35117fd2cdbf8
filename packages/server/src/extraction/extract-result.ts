/**
 * Extraction with a language model (calls.md → Structured results): the numbered transcript and
 * the compiled schema go to the model through structured output; the answer `{values, evidence}`
 * is validated; on failure the problems are sent back once for a repair; the result then holds
 * every top-level key.
 */
import type { LlmProvider } from '../providers/llm.ts';
import { ProviderError } from '../providers/provider-error.ts';
import { allNull, type ExtractionOutcome, type TranscriptLine } from './outcome.ts';
import { createResultValidator, describeIssues, type ResultIssue, type ResultValidator } from './result-validator.ts';
import { compileReturns, returnsKeys } from './returns-schema.ts';

export interface ExtractResultInput {
  /** The call's `returns` (already valid); none or empty ⇒ result null, completed, no model call. */
  readonly returns: unknown;
  readonly segments: readonly TranscriptLine[];
  readonly llm: LlmProvider;
  readonly signal: AbortSignal;
  /** The agent's time zone, for `datetime` fields and relative dates ("tomorrow"). */
  readonly timezone?: string | undefined;
  /** When the call ended, so the model can resolve relative dates. */
  readonly endedAt?: Date | null | undefined;
  /** Milliseconds for `durationMs` (the platform's clock). */
  readonly now?: () => number;
}

const SYSTEM = [
  'You fill in a form from the transcript of a phone call between an AI agent and a caller.',
  'Answer with one JSON object {"values": {...}, "evidence": {...}} that matches the JSON Schema you are given.',
  'In "values", give each field the value the conversation established, and null when it was not discussed, not clear, or only guessed. Never invent a value.',
  'Prefer what the caller said and confirmed; when the caller corrected themselves, use the correction.',
  'In "evidence", list for each field the numbers of the transcript segments its value came from ([] for null).',
].join(' ');

const ROLE_LABEL: Record<TranscriptLine['role'], string> = { agent: 'agent', caller: 'caller', tool: 'tool result', system: 'system note' };

/** Runs the extraction. Rejects only with an AbortError when `signal` aborted; every other failure is a `failed` outcome. */
export async function extractResult(input: ExtractResultInput): Promise<ExtractionOutcome> {
  const now = input.now ?? (() => performance.now());
  const t0 = now();
  const keys = returnsKeys(input.returns);
  const done = (o: Omit<ExtractionOutcome, 'durationMs'>): ExtractionOutcome => ({ ...o, durationMs: Math.max(0, now() - t0) });
  if (keys.length === 0) return done({ status: 'completed', result: null, error: null, evidence: {}, repaired: false, model: input.llm.model });
  const spoken = input.segments.filter((s) => s.text.trim() !== '');
  // Nobody said anything: every field is undiscussed, and no model is needed to say so.
  if (spoken.length === 0) return done({ status: 'completed', result: allNull(keys), error: null, evidence: {}, repaired: false, model: input.llm.model });

  const valuesSchema = compileReturns(input.returns, { timezone: input.timezone });
  const validator = createResultValidator(valuesSchema);
  const schema = {
    type: 'object',
    properties: {
      values: valuesSchema,
      evidence: { type: 'object', properties: Object.fromEntries(keys.map((k) => [k, { type: 'array', items: { type: 'integer' } }])), required: keys, additionalProperties: false },
    },
    required: ['values', 'evidence'],
    additionalProperties: false,
  };
  const prompt = buildPrompt(valuesSchema, spoken, input);
  const known = new Set(spoken.map((s) => s.sequence_no));
  let model = input.llm.model;
  try {
    const first = await input.llm.generateObject({ system: SYSTEM, prompt, schema, schemaName: 'call_result' }, { signal: input.signal });
    model = first.model;
    let checked = check(first.object, keys, validator, known);
    let repaired = false;
    if (!checked.ok) {
      repaired = true;
      const previous = first.object === undefined ? (first.text ?? '') : JSON.stringify(first.object);
      const again = await input.llm.generateObject({ system: SYSTEM, prompt: repairPrompt(prompt, previous, checked.issues), schema, schemaName: 'call_result' }, { signal: input.signal });
      model = again.model;
      checked = check(again.object, keys, validator, known);
    }
    if (checked.ok) return done({ status: 'completed', result: checked.values, error: null, evidence: checked.evidence, repaired, model });
    return done({
      status: 'failed',
      result: salvage(checked.values, keys, checked.issues),
      error: `the extracted result did not match the returns schema after one repair attempt:\n${describeIssues(checked.issues, 'result')}`,
      evidence: checked.evidence,
      repaired,
      model,
    });
  } catch (e) {
    if (input.signal.aborted) throw e;
    const message = e instanceof ProviderError ? `${e.code}: ${e.message}` : `internal: ${e instanceof Error ? e.message : String(e)}`;
    return done({ status: 'failed', result: allNull(keys), error: message, evidence: {}, repaired: false, model });
  }
}

type Checked =
  | { ok: true; values: Record<string, unknown>; evidence: Record<string, number[]> }
  | { ok: false; values: Record<string, unknown> | null; evidence: Record<string, number[]>; issues: ResultIssue[] };

/** Validates an answer: top-level keys the model left out count as undiscussed (null); unknown top-level keys are dropped. */
function check(answer: unknown, keys: readonly string[], validator: ResultValidator, known: ReadonlySet<number>): Checked {
  if (!isObject(answer)) return { ok: false, values: null, evidence: {}, issues: [{ path: '', message: 'the answer was not a JSON object {"values": …, "evidence": …}' }] };
  const evidence = cleanEvidence(answer.evidence, keys, known);
  if (!isObject(answer.values)) return { ok: false, values: null, evidence, issues: [{ path: '', message: 'must be an object with one entry per field' }] };
  const raw = answer.values;
  const values = Object.fromEntries(keys.map((k) => [k, raw[k] === undefined ? null : raw[k]]));
  const v = validator.validate(values);
  return v.ok ? { ok: true, values, evidence } : { ok: false, values, evidence, issues: [...v.issues] };
}

/** Keeps only known fields and segment numbers that exist in the transcript, ascending and unique. */
function cleanEvidence(raw: unknown, keys: readonly string[], known: ReadonlySet<number>): Record<string, number[]> {
  if (!isObject(raw)) return {};
  const out: Record<string, number[]> = {};
  for (const k of keys) {
    const list = raw[k];
    if (!Array.isArray(list)) continue;
    out[k] = [...new Set(list.filter((n): n is number => Number.isInteger(n) && known.has(n as number)))].sort((a, b) => a - b);
  }
  return out;
}

/** A failed result keeps the fields that validated on their own; the others become null. */
function salvage(values: Record<string, unknown> | null, keys: readonly string[], issues: readonly ResultIssue[]): Record<string, unknown> {
  if (!values) return allNull(keys);
  const bad = new Set(issues.map((i) => i.path.split(/[.[]/)[0] ?? ''));
  if (bad.has('')) return allNull(keys);
  return Object.fromEntries(keys.map((k) => [k, bad.has(k) ? null : values[k]]));
}

function buildPrompt(valuesSchema: unknown, segments: readonly TranscriptLine[], input: ExtractResultInput): string {
  const when = input.endedAt ? `The call ended at ${input.endedAt.toISOString()}${input.timezone ? `; the agent's time zone is ${input.timezone}` : ''}. Resolve relative dates ("tomorrow", "next Tuesday") from that.\n\n` : '';
  const lines = segments.map((s) => `[${s.sequence_no}] ${ROLE_LABEL[s.role]}: ${s.text.replace(/\s+/g, ' ').trim()}`);
  return `${when}The fields of "values", as JSON Schema:\n${JSON.stringify(valuesSchema, null, 1)}\n\nTranscript (each line: [segment number] speaker: text):\n${lines.join('\n')}`;
}

function repairPrompt(prompt: string, previous: string, issues: readonly ResultIssue[]): string {
  return `${prompt}\n\nYour previous answer was:\n${previous.slice(0, 20_000)}\n\nIt does not match the schema:\n${describeIssues(issues)}\n\nAnswer again with the whole corrected JSON object. Use null for a value you cannot give in the required form.`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
