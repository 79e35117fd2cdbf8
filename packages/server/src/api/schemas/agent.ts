import { z } from '@hono/zod-openapi';
import { isValidTimeZone } from '../../config/config.ts';
import { findReturnsIssue } from '../../extraction/returns.ts';
import { HttpUrl, NullableTimestamp, PhoneInput, Timestamp } from './common.ts';
import { PhoneNumber } from './number.ts';

// calls.md → Tools: "at most 16"; transfer destinations "at most 10".
const MAX_TOOLS = 16;
const MAX_TRANSFER_DESTINATIONS = 10;

const ToolName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'letters, digits, _ and - (at most 64), not starting with a digit');

const JsonSchemaObject = z
  .looseObject({ type: z.literal('object') })
  .openapi({ description: 'A JSON Schema of type object describing the arguments', example: { type: 'object', properties: { date: { type: 'string' } }, required: ['date'] } });

const HttpTool = z.strictObject({
  type: z.literal('http'),
  name: ToolName,
  description: z.string().min(1).max(2000),
  parameters: JsonSchemaObject,
  url: HttpUrl,
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,128}$/, 'an HTTP header name'), z.string().max(4096)).optional(),
  timeout_ms: z.number().int().min(100).max(30_000).default(5000),
  policy: z.enum(['read', 'confirm_first_write']),
});

const TransferDestination = z.strictObject({ name: z.string().min(1).max(100), number: PhoneInput, description: z.string().max(500).optional() });

const BuiltinTool = z
  .strictObject({
    type: z.literal('builtin'),
    name: z.enum(['end_call', 'transfer_call', 'send_dtmf']),
    description: z.string().max(2000).optional(),
    destinations: z.array(TransferDestination).min(1).max(MAX_TRANSFER_DESTINATIONS).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.name === 'transfer_call' && !t.destinations) ctx.addIssue({ code: 'custom', path: ['destinations'], message: 'transfer_call needs destinations (at most 10)' });
    if (t.name !== 'transfer_call' && t.destinations) ctx.addIssue({ code: 'custom', path: ['destinations'], message: 'destinations are allowed only on transfer_call' });
  });

export const Tool = z.discriminatedUnion('type', [HttpTool, BuiltinTool]).openapi('Tool');

export const Tools = z
  .array(Tool)
  .max(MAX_TOOLS)
  .superRefine((tools, ctx) => {
    const seen = new Set<string>();
    for (const [i, t] of tools.entries()) {
      if (seen.has(t.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate tool name '${t.name}'` });
      seen.add(t.name);
    }
  });

/** `returns` (calls.md → Structured results), validated by hand so errors name the exact field. */
export const Returns = z
  .record(z.string(), z.unknown())
  .nullable()
  .superRefine((v, ctx) => {
    const issue = findReturnsIssue(v);
    if (issue) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  })
  .openapi('Returns', {
    description: 'Field name → "string" | "boolean" | "number" | "integer" | "date" | "datetime" | "phone" | "email", an enum array, or a descriptor {type, description?, enum?, items?, properties?}',
    example: { caller_name: 'string', reason: 'string', callback_number: 'phone' },
  });

const EndpointingMs = z.number().int().min(0).max(10_000);
export const Settings = z
  .strictObject({
    stt: z.enum(['local', 'deepgram', 'openai']),
    llm: z.enum(['local', 'openai', 'openai-compatible', 'anthropic']),
    model: z.string().min(1).max(200),
    tts: z.enum(['local', 'elevenlabs', 'openai', 'deepgram']),
    min_endpointing_ms: EndpointingMs,
    max_endpointing_ms: EndpointingMs,
    interruption_min_ms: z.number().int().min(0).max(5000),
    ignore_backchannels: z.boolean(),
    silence_timeout_ms: z.number().int().min(1000).max(600_000),
    max_call_seconds: z.number().int().min(10).max(4 * 3600),
    ring_timeout_s: z.number().int().min(5).max(300),
    amd_timeout_ms: z.number().int().min(500).max(30_000),
    recording: z.boolean(),
  })
  .partial()
  .openapi('AgentSettings');

/** PATCH settings: a JSON merge patch, where `null` removes a key. */
const SettingsPatch = z.strictObject(Object.fromEntries(Object.entries(Settings.shape).map(([k, v]) => [k, (v as z.ZodTypeAny).nullable()]))).openapi('AgentSettingsPatch');

function checkEndpointing(s: { min_endpointing_ms?: number | null | undefined; max_endpointing_ms?: number | null | undefined } | null | undefined, ctx: z.RefinementCtx): void {
  if (s?.min_endpointing_ms != null && s.max_endpointing_ms != null && s.min_endpointing_ms > s.max_endpointing_ms) {
    ctx.addIssue({ code: 'custom', path: ['settings', 'max_endpointing_ms'], message: 'max_endpointing_ms must be at least min_endpointing_ms' });
  }
}

const Language = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP-47 tag such as en or en-US');
const TimeZone = z.string().max(64).refine(isValidTimeZone, 'an IANA time zone such as America/New_York');
const Text = (max: number) => z.string().max(max).nullable();

const configFields = {
  name: z.string().min(1).max(200),
  persona: Text(20_000),
  instructions: Text(50_000),
  voice: z.string().min(1).max(200).nullable(),
  language: Language,
  returns: Returns,
  tools: Tools,
  webhook_url: HttpUrl.nullable(),
  voicemail_action: z.enum(['hangup', 'leave_message']),
  voicemail_message: Text(5000),
  first_message: Text(5000),
  timezone: TimeZone,
};

export const AgentCreateBody = z
  .strictObject({
    ...configFields,
    type: z.enum(['inbound', 'outbound']),
    persona: configFields.persona.optional(),
    instructions: configFields.instructions.optional(),
    voice: configFields.voice.optional(),
    language: configFields.language.optional(),
    returns: configFields.returns.optional(),
    tools: configFields.tools.optional(),
    webhook_url: configFields.webhook_url.optional(),
    voicemail_action: configFields.voicemail_action.optional(),
    voicemail_message: configFields.voicemail_message.optional(),
    first_message: configFields.first_message.optional(),
    timezone: configFields.timezone.optional(),
    settings: Settings.optional(),
    number_ids: z.array(z.string().max(64)).max(100).optional(),
    primary_number_id: z.string().max(64).nullable().optional(),
  })
  .superRefine((b, ctx) => checkEndpointing(b.settings, ctx))
  .openapi('AgentCreate');

export const AgentPatchBody = z
  .strictObject({
    ...Object.fromEntries(Object.entries(configFields).map(([k, v]) => [k, v.optional()])),
    settings: SettingsPatch.optional(),
    primary_number_id: z.string().max(64).nullable().optional(),
  }, {
    // Say why `type` is refused instead of "unknown field".
    error: (iss) => (iss.code === 'unrecognized_keys' && iss.keys.includes('type') ? 'type cannot be changed; create a new agent' : undefined),
  })
  .openapi('AgentPatch');

export const Agent = z
  .object({
    id: z.string(),
    org_id: z.string(),
    user_id: z.string().nullable(),
    name: z.string(),
    type: z.enum(['inbound', 'outbound']),
    persona: z.string().nullable(),
    instructions: z.string().nullable(),
    voice: z.string().nullable(),
    language: z.string(),
    returns: z.record(z.string(), z.unknown()).nullable(),
    tools: z.array(Tool),
    webhook_url: z.string().nullable(),
    voicemail_action: z.enum(['hangup', 'leave_message']),
    voicemail_message: z.string().nullable(),
    first_message: z.string().nullable(),
    timezone: z.string(),
    settings: Settings,
    primary_number_id: z.string().nullable(),
    numbers: z.array(PhoneNumber),
    version: z.number().int(),
    archived_at: NullableTimestamp,
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Agent');

export const AgentVersion = z.object({ version: z.number().int(), created_at: Timestamp, config: z.record(z.string(), z.unknown()) }).openapi('AgentVersion');

export const AttachNumberBody = z.strictObject({ number_id: z.string().max(64), set_as_primary: z.boolean().optional() }).openapi('AttachNumber');
export const PrimaryNumberBody = z.strictObject({ number_id: z.string().max(64) }).openapi('PrimaryNumber');
