import type { BuiltinTool, HttpTool, JsonSchema, ToolPolicy, TransferDestination } from './types.js';

/** Input of {@link tool.http}. `parameters` is a JSON Schema object, or a map of property schemas. */
export interface HttpToolInput {
  name: string;
  description: string;
  url: string;
  parameters?: JsonSchema | Record<string, JsonSchema>;
  /** `read` runs freely; `confirm_first_write` only after the caller clearly agreed. */
  policy: ToolPolicy;
  method?: HttpTool['method'];
  headers?: Record<string, string>;
  timeout_ms?: number;
}

/** Input of {@link tool.builtin}. */
export interface BuiltinToolInput {
  name: BuiltinTool['name'];
  description?: string;
  /** For `transfer_call`: the only numbers the model may transfer to (at most 10). */
  destinations?: TransferDestination[];
}

function isObjectSchema(value: JsonSchema | Record<string, JsonSchema>): value is JsonSchema {
  return (value as JsonSchema).type === 'object';
}

function withDescription<T extends JsonSchema>(schema: T, description: string | undefined): T {
  return description === undefined ? schema : { ...schema, description };
}

/**
 * Builders of the agent `tools` wire format (calls.md → Tools) and of the JSON Schema their
 * parameters take.
 *
 * @example
 * const tools = [
 *   tool.http({
 *     name: 'book_slot', description: 'Book an appointment slot', url: 'https://example.com/book',
 *     policy: 'confirm_first_write',
 *     parameters: tool.object({ day: tool.string('YYYY-MM-DD'), party: tool.number() }, { required: ['day'] }),
 *   }),
 *   tool.builtin({ name: 'end_call' }),
 * ];
 */
export const tool = {
  /** An HTTP tool: the platform POSTs the model's arguments as JSON to `url`. */
  http(input: HttpToolInput): HttpTool {
    const { parameters, ...rest } = input;
    const schema: JsonSchema =
      parameters === undefined ? { type: 'object', properties: {} } : isObjectSchema(parameters) ? parameters : tool.object(parameters);
    const out: HttpTool = { type: 'http', name: rest.name, description: rest.description, parameters: schema, url: rest.url, policy: rest.policy };
    if (rest.method !== undefined) out.method = rest.method;
    if (rest.headers !== undefined) out.headers = rest.headers;
    if (rest.timeout_ms !== undefined) out.timeout_ms = rest.timeout_ms;
    return out;
  },

  /** A built-in tool: `end_call`, `transfer_call` (with `destinations`) or `send_dtmf`. */
  builtin(input: BuiltinToolInput): BuiltinTool {
    const out: BuiltinTool = { type: 'builtin', name: input.name };
    if (input.description !== undefined) out.description = input.description;
    if (input.destinations !== undefined) out.destinations = input.destinations;
    return out;
  },

  /** An object schema; `required` lists the properties the model must fill. */
  object(properties: Record<string, JsonSchema>, options: { required?: string[]; description?: string } = {}): JsonSchema {
    const schema: JsonSchema = { type: 'object', properties };
    if (options.required !== undefined) schema.required = options.required;
    return withDescription(schema, options.description);
  },

  /** A string property. */
  string(description?: string): JsonSchema {
    return withDescription({ type: 'string' }, description);
  },

  /** A number property. */
  number(description?: string): JsonSchema {
    return withDescription({ type: 'number' }, description);
  },

  /** An integer property. */
  integer(description?: string): JsonSchema {
    return withDescription({ type: 'integer' }, description);
  },

  /** A boolean property. */
  boolean(description?: string): JsonSchema {
    return withDescription({ type: 'boolean' }, description);
  },

  /** One of the given values (strings, or numbers). */
  enum(values: readonly string[] | readonly number[], description?: string): JsonSchema {
    const type = values.every((v) => typeof v === 'number') && values.length > 0 ? 'number' : 'string';
    return withDescription({ type, enum: [...values] }, description);
  },

  /** An array of `items`. */
  array(items: JsonSchema, description?: string): JsonSchema {
    return withDescription({ type: 'array', items }, description);
  },
} as const;
