/**
 * The `returns` schema language of calls.md → Structured results: shorthand type names, enums
 * (arrays of strings), and full descriptors nested at most 4 levels with at most 50 fields.
 */
export const RETURNS_SHORTHAND = ['string', 'boolean', 'number', 'integer', 'date', 'datetime', 'phone', 'email'] as const;
const DESCRIPTOR_TYPES = [...RETURNS_SHORTHAND, 'array', 'object'] as const;
const DESCRIPTOR_KEYS = new Set(['type', 'description', 'enum', 'items', 'properties']);
// calls.md: "nesting at most 4 levels, at most 50 fields in all".
export const MAX_RETURNS_DEPTH = 4;
export const MAX_RETURNS_FIELDS = 50;

/** A problem in a `returns` value: the path below `returns` and what is wrong. */
export interface ReturnsIssue {
  path: Array<string | number>;
  message: string;
}

/** Validates a `returns` object; the first issue found, or null when it is valid. */
export function findReturnsIssue(value: unknown): ReturnsIssue | null {
  if (value === null) return null;
  if (!isPlainObject(value)) return { path: [], message: 'returns must be an object mapping field names to types' };
  const counter = { fields: 0 };
  return checkFields(value, [], 1, counter);
}

function checkFields(fields: Record<string, unknown>, path: Array<string | number>, depth: number, counter: { fields: number }): ReturnsIssue | null {
  if (depth > MAX_RETURNS_DEPTH) return { path, message: `returns nests deeper than ${MAX_RETURNS_DEPTH} levels` };
  for (const [name, spec] of Object.entries(fields)) {
    const here = [...path, name];
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return { path: here, message: 'field names are letters, digits and underscores (at most 64), not starting with a digit' };
    counter.fields += 1;
    if (counter.fields > MAX_RETURNS_FIELDS) return { path: here, message: `returns has more than ${MAX_RETURNS_FIELDS} fields` };
    const issue = checkSpec(spec, here, depth, counter);
    if (issue) return issue;
  }
  return null;
}

function checkSpec(spec: unknown, path: Array<string | number>, depth: number, counter: { fields: number }): ReturnsIssue | null {
  if (typeof spec === 'string') {
    return (RETURNS_SHORTHAND as readonly string[]).includes(spec) ? null : { path, message: `unknown type '${spec}'; use one of ${RETURNS_SHORTHAND.join(', ')}, an enum array, or a descriptor object` };
  }
  if (Array.isArray(spec)) return checkEnum(spec, path);
  if (!isPlainObject(spec)) return { path, message: 'expected a type name, an enum array or a descriptor object' };
  for (const key of Object.keys(spec)) if (!DESCRIPTOR_KEYS.has(key)) return { path: [...path, key], message: `unknown descriptor key '${key}'` };
  const type = spec.type;
  if (typeof type !== 'string' || !(DESCRIPTOR_TYPES as readonly string[]).includes(type)) {
    return { path: [...path, 'type'], message: `type must be one of ${DESCRIPTOR_TYPES.join(', ')}` };
  }
  if (spec.description !== undefined && (typeof spec.description !== 'string' || spec.description.length > 1000)) return { path: [...path, 'description'], message: 'description must be a string of at most 1000 characters' };
  if (spec.enum !== undefined) {
    if (type !== 'string') return { path: [...path, 'enum'], message: "enum is allowed only with type 'string'" };
    const issue = checkEnum(spec.enum, [...path, 'enum']);
    if (issue) return issue;
  }
  if (type === 'array') {
    if (spec.items === undefined) return { path: [...path, 'items'], message: "an array needs 'items'" };
    const issue = checkSpec(spec.items, [...path, 'items'], depth + 1, counter);
    if (issue) return issue;
  } else if (spec.items !== undefined) return { path: [...path, 'items'], message: "'items' is allowed only with type 'array'" };
  if (type === 'object') {
    if (!isPlainObject(spec.properties) || Object.keys(spec.properties).length === 0) return { path: [...path, 'properties'], message: "an object needs non-empty 'properties'" };
    return checkFields(spec.properties, [...path, 'properties'], depth + 1, counter);
  } else if (spec.properties !== undefined) return { path: [...path, 'properties'], message: "'properties' is allowed only with type 'object'" };
  return null;
}

function checkEnum(values: unknown, path: Array<string | number>): ReturnsIssue | null {
  if (!Array.isArray(values) || values.length === 0 || values.length > 100) return { path, message: 'an enum is a non-empty array of at most 100 strings' };
  for (const [i, v] of values.entries()) if (typeof v !== 'string' || v.length === 0 || v.length > 200) return { path: [...path, i], message: 'enum values are non-empty strings' };
  if (new Set(values).size !== values.length) return { path, message: 'enum values must be unique' };
  return null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
