/**
 * The questions an intake walks: the agent's `returns` (calls.md → Structured results) flattened
 * to one field per thing to ask, in declaration order.
 *
 * - Scalars and enums are asked once.
 * - An object's leaves are asked one by one ("callback.number" → "callback number"), down to the
 *   4 levels `returns` allows; the filled value is rebuilt as the nested object.
 * - An array of scalars is asked once and filled with the one answer as a one-element list
 *   (an enum array takes every value the caller named).
 * - An array of objects is not asked: a form-filler cannot walk a list of records by voice
 *   sensibly, so it stays null and the transcript keeps whatever the caller said.
 */

/** How an answer is parsed and what the recogniser is told to expect. */
export type FieldKind = 'string' | 'name' | 'boolean' | 'number' | 'integer' | 'date' | 'datetime' | 'phone' | 'email' | 'enum';

export interface IntakeField {
  /** Path from the top of `returns` (`["callback", "number"]`). */
  readonly path: readonly string[];
  readonly kind: FieldKind;
  /** Words for the field, from its name ("callback number"). */
  readonly label: string;
  readonly description?: string;
  /** Enum values, in order. */
  readonly values?: readonly string[];
  /** The field is an array: the answer is wrapped in a list. */
  readonly list?: boolean;
}

/** A name-like string field: asked with the names grammar and parsed as a person's name. */
const NAME_FIELD = /^(your_?|first_?|last_?|full_?|caller_?|contact_?|patient_?|customer_?|client_?|guest_?)?name$/i;

/** Lower-case words from a field name: `callbackNumber`, `callback_number` → "callback number". */
export function labelOf(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Every field to ask, in order. `returns` must already be valid (`findReturnsIssue`). */
export function fieldsOf(returns: unknown): IntakeField[] {
  if (!isObject(returns)) return [];
  const out: IntakeField[] = [];
  for (const [name, spec] of Object.entries(returns)) walk([name], spec, out);
  return out;
}

function walk(path: string[], spec: unknown, out: IntakeField[]): void {
  const name = path[path.length - 1] as string;
  const label = path.map(labelOf).join(' ');
  if (typeof spec === 'string') {
    out.push({ path, kind: scalarKind(spec, name), label });
    return;
  }
  if (Array.isArray(spec)) {
    out.push({ path, kind: 'enum', label, values: spec.map(String) });
    return;
  }
  if (!isObject(spec)) return;
  const description = typeof spec.description === 'string' && spec.description.trim() ? spec.description.trim() : undefined;
  const base = { path, label, ...(description ? { description } : {}) };
  if (spec.type === 'object' && isObject(spec.properties)) {
    for (const [k, v] of Object.entries(spec.properties)) walk([...path, k], v, out);
    return;
  }
  if (spec.type === 'array') {
    const items = spec.items;
    if (Array.isArray(items)) out.push({ ...base, kind: 'enum', values: items.map(String), list: true });
    else if (typeof items === 'string') out.push({ ...base, kind: scalarKind(items, name, description), list: true });
    else if (isObject(items) && Array.isArray(items.enum)) out.push({ ...base, kind: 'enum', values: items.enum.map(String), list: true });
    else if (isObject(items) && typeof items.type === 'string' && items.type !== 'object' && items.type !== 'array') out.push({ ...base, kind: scalarKind(items.type, name, description), list: true });
    // An array of objects or of arrays is left null (see the file comment).
    return;
  }
  if (Array.isArray(spec.enum)) {
    out.push({ ...base, kind: 'enum', values: spec.enum.map(String) });
    return;
  }
  out.push({ ...base, kind: scalarKind(String(spec.type), name, description) });
}

function scalarKind(type: string, name: string, description?: string): FieldKind {
  switch (type) {
    case 'boolean':
    case 'number':
    case 'integer':
    case 'date':
    case 'datetime':
    case 'phone':
    case 'email':
      return type;
    default:
      return NAME_FIELD.test(name) || /^(the )?(caller'?s |person'?s |your )?(full )?name\b/i.test(description ?? '') ? 'name' : 'string';
  }
}

/**
 * The filled values as `returns` shapes them: nested objects rebuilt from their leaves, `null`
 * for every field not filled (and for objects none of whose leaves were filled).
 */
export function assemble(returns: unknown, values: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const build = (path: string[], spec: unknown): unknown => {
    if (isObject(spec) && spec.type === 'object' && isObject(spec.properties)) {
      const o: Record<string, unknown> = {};
      let any = false;
      for (const [k, v] of Object.entries(spec.properties)) {
        o[k] = build([...path, k], v);
        if (o[k] !== null) any = true;
      }
      return any ? o : null;
    }
    return values.get(pathKey(path)) ?? null;
  };
  const out: Record<string, unknown> = {};
  if (!isObject(returns)) return out;
  for (const [k, v] of Object.entries(returns)) out[k] = build([k], v);
  return out;
}

/** The map key of a field's path. */
export function pathKey(path: readonly string[]): string {
  return path.join('.');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
