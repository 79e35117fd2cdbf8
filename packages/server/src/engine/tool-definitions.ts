/**
 * The agent's tools as the call snapshot holds them (`calls.md` → Tools; validated at agent
 * create/update by `api/schemas/agent.ts`), and the declarations the model sees. The dialogue
 * declares them; the tool runner executes them.
 */
import type { JsonSchema, LlmToolSpec } from '../providers/llm.ts';

export interface HttpToolDefinition {
  readonly type: 'http';
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonSchema;
  readonly url: string;
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeout_ms?: number;
  readonly policy: 'read' | 'confirm_first_write';
}

export interface TransferDestination {
  readonly name: string;
  readonly number: string;
  readonly description?: string;
}

export interface BuiltinToolDefinition {
  readonly type: 'builtin';
  readonly name: 'end_call' | 'transfer_call' | 'send_dtmf';
  readonly description?: string;
  readonly destinations?: readonly TransferDestination[];
}

export type ToolDefinition = HttpToolDefinition | BuiltinToolDefinition;

/** `send_dtmf` digits: RFC 4733 events 0–9, *, #, A–D. */
export const DTMF_DIGITS = /^[0-9*#A-D]+$/;

/**
 * The snapshot's `tools` value as typed definitions. The API validated it; anything that is not a
 * tool of a known type (a snapshot from a newer version) is dropped rather than guessed at.
 */
export function toolDefinitions(snapshotTools: unknown): ToolDefinition[] {
  if (!Array.isArray(snapshotTools)) return [];
  return snapshotTools.filter((t): t is ToolDefinition => {
    if (typeof t !== 'object' || t === null) return false;
    const o = t as Record<string, unknown>;
    if (typeof o.name !== 'string') return false;
    if (o.type === 'http') return typeof o.url === 'string' && typeof o.parameters === 'object' && o.parameters !== null;
    return o.type === 'builtin' && (o.name === 'end_call' || o.name === 'transfer_call' || o.name === 'send_dtmf');
  });
}

/**
 * What the model is told it can call: every HTTP tool, `end_call` always (the agent must be able
 * to hang up, and the silence rule uses it), and `send_dtmf` / `transfer_call` when the agent
 * lists them (a transfer needs the owner's destinations).
 */
export function toolSpecs(tools: readonly ToolDefinition[]): LlmToolSpec[] {
  const builtin = (name: BuiltinToolDefinition['name']): BuiltinToolDefinition | undefined =>
    tools.find((t): t is BuiltinToolDefinition => t.type === 'builtin' && t.name === name);
  const specs: LlmToolSpec[] = tools
    .filter((t): t is HttpToolDefinition => t.type === 'http')
    .map((t) => ({ name: t.name, description: t.description, parameters: t.parameters }));
  specs.push({
    name: 'end_call',
    description: builtin('end_call')?.description ?? 'Hang up after your current sentence. Say goodbye in the same reply before calling it.',
    parameters: { type: 'object', properties: {}, additionalProperties: false },
  });
  const dtmf = builtin('send_dtmf');
  if (dtmf) {
    specs.push({
      name: 'send_dtmf',
      description: dtmf.description ?? 'Press keys on the phone keypad (for example to navigate a phone menu).',
      parameters: {
        type: 'object',
        properties: { digits: { type: 'string', pattern: DTMF_DIGITS.source, description: 'Keys to press in order: 0-9, *, #, A-D' } },
        required: ['digits'],
        additionalProperties: false,
      },
    });
  }
  const transfer = builtin('transfer_call');
  if (transfer?.destinations?.length) {
    const list = transfer.destinations.map((d) => (d.description ? `${d.name} (${d.description})` : d.name)).join('; ');
    specs.push({
      name: 'transfer_call',
      description: `${transfer.description ?? 'Transfer the caller to a person.'} Destinations: ${list}.`,
      parameters: {
        type: 'object',
        properties: { destination: { type: 'string', enum: transfer.destinations.map((d) => d.name), description: 'The destination name' } },
        required: ['destination'],
        additionalProperties: false,
      },
    });
  }
  return specs;
}
