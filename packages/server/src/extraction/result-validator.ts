/**
 * Validates an extracted result against the JSON Schema `returns-schema.ts` compiled.
 *
 * Why ajv rather than a zod schema built from the JSON Schema: the JSON Schema is the contract the
 * model was given, so validating that very document (not a translation of it) means the model and
 * the validator can never disagree about what is valid; ajv implements the standard keywords we
 * emit (type unions with null, enum, pattern, format, required, additionalProperties), reports
 * each problem with the JSON Pointer of the value, which is what the repair prompt sends back, and
 * is already a dependency (the tool runner validates HTTP tool arguments with it).
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { JsonSchema } from '../providers/llm.ts';
import { PATTERN_MEANING } from './returns-schema.ts';

// The HTML Living Standard's "valid e-mail address" (what <input type=email> accepts): pragmatic
// and well known, unlike RFC 5322's full grammar, which accepts forms no one dictates on a call.
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

/** One problem, addressed by a dotted path below the validated value (`callback.phone`, `items[2]`). */
export interface ResultIssue {
  readonly path: string;
  readonly message: string;
}

export type ValidationOutcome = { readonly ok: true } | { readonly ok: false; readonly issues: readonly ResultIssue[] };

/** A compiled validator of one schema. */
export interface ResultValidator {
  validate(value: unknown): ValidationOutcome;
}

/** Compiles `schema` once; the validator can be used for any number of values. */
export function createResultValidator(schema: JsonSchema): ResultValidator {
  // `validateSchema: false`: the schema is ours (compiled from a validated `returns`), and compiling
  // the 2020-12 meta-schema first is most of the cost of a fresh validator.
  const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true, validateSchema: false, formats: { email: EMAIL } });
  const check: ValidateFunction = ajv.compile(schema);
  return {
    validate(value) {
      if (check(value)) return { ok: true };
      return { ok: false, issues: (check.errors ?? []).filter(meaningful).map(toIssue) };
    },
  };
}

/** Drops ajv's follow-up errors that only repeat a type mismatch (`must match a schema in anyOf`). */
function meaningful(e: ErrorObject): boolean {
  return e.keyword !== 'if' && e.keyword !== 'anyOf';
}

function toIssue(e: ErrorObject): ResultIssue {
  const path = pointerToPath(e.instancePath);
  const parent = e.parentSchema as { pattern?: string } | undefined;
  switch (e.keyword) {
    case 'required':
      return { path: join(path, String((e.params as { missingProperty: string }).missingProperty)), message: 'is missing (use null when the call did not say)' };
    case 'additionalProperties':
      return { path: join(path, String((e.params as { additionalProperty: string }).additionalProperty)), message: 'is not a field of the schema' };
    case 'pattern':
      return { path, message: `must be ${parent?.pattern ? (PATTERN_MEANING[parent.pattern] ?? `a string matching ${parent.pattern}`) : 'in the required format'}, or null` };
    case 'format':
      return { path, message: `must be ${(e.params as { format: string }).format === 'email' ? 'an e-mail address' : `a valid ${(e.params as { format: string }).format}`}, or null` };
    case 'enum':
      return { path, message: `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}` };
    default:
      return { path, message: e.message ?? 'is invalid' };
  }
}

function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : join(acc, p)), '');
}

function join(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

/** Issues as lines for an error text or a repair prompt (`- callback.phone: must be …`). */
export function describeIssues(issues: readonly ResultIssue[], root = 'values'): string {
  return issues.map((i) => `- ${i.path ? `${root}.${i.path}` : root}: ${i.message}`).join('\n');
}
