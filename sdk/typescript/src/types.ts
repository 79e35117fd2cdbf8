/**
 * Objects and parameters of the CallingBox API (api.md, calls.md, webhooks.md), with the API's
 * snake_case field names. `test/openapi-types.test.ts` checks them against the types generated
 * from `GET /v1/openapi.json` into `src/generated/`.
 */

/** ISO 8601 UTC time with milliseconds, e.g. `2026-11-24T13:05:00.123Z`. */
export type Timestamp = string;
/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// ── returns (calls.md → Structured results) ──────────────────────────────────────────────
/** Shorthand types of a `returns` field. */
export type ReturnsShorthand = 'string' | 'boolean' | 'number' | 'integer' | 'date' | 'datetime' | 'phone' | 'email';
/** A full `returns` field descriptor. */
export interface ReturnsDescriptor {
  type: ReturnsShorthand | 'array' | 'object';
  description?: string;
  enum?: Array<string | number | boolean>;
  items?: ReturnsField;
  properties?: Record<string, ReturnsField>;
}
/** One field of a `returns` schema: a shorthand, an enum (`["yes","no"]`) or a descriptor. */
export type ReturnsField = ReturnsShorthand | string[] | ReturnsDescriptor;
/** An extraction schema: field name → type. */
export type ReturnsSchema = Record<string, ReturnsField>;

// ── tools (calls.md → Tools) ─────────────────────────────────────────────────────────────
/** A JSON Schema fragment, as tool parameters take. */
export interface JsonSchema {
  type?: 'object' | 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'null';
  description?: string;
  enum?: Array<string | number | boolean>;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  [keyword: string]: unknown;
}
/** When an HTTP tool may run: freely, or only after the caller clearly agreed. */
export type ToolPolicy = 'read' | 'confirm_first_write';
/** An HTTP tool the agent may call during a call. */
export interface HttpTool {
  type: 'http';
  name: string;
  description: string;
  parameters: JsonSchema;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  timeout_ms?: number;
  policy: ToolPolicy;
}
/** A destination `transfer_call` may pick by name. */
export interface TransferDestination {
  name: string;
  number: string;
  description?: string;
}
/** A built-in tool. */
export interface BuiltinTool {
  type: 'builtin';
  name: 'end_call' | 'transfer_call' | 'send_dtmf';
  description?: string;
  destinations?: TransferDestination[];
}
/** One entry of an agent's `tools`. */
export type AgentTool = HttpTool | BuiltinTool;

// ── agents ───────────────────────────────────────────────────────────────────────────────
/** Whether an agent answers calls or places them. */
export type AgentType = 'inbound' | 'outbound';
/** What an outbound agent does on reaching voicemail. */
export type VoicemailAction = 'hangup' | 'leave_message';
/** Runtime knobs of an agent; absent keys take the installation default. */
export interface AgentSettings {
  stt?: 'local' | 'deepgram' | 'openai';
  llm?: 'local' | 'openai' | 'openai-compatible' | 'anthropic';
  model?: string;
  tts?: 'local' | 'elevenlabs' | 'openai' | 'deepgram';
  min_endpointing_ms?: number;
  max_endpointing_ms?: number;
  interruption_min_ms?: number;
  ignore_backchannels?: boolean;
  silence_timeout_ms?: number;
  max_call_seconds?: number;
  ring_timeout_s?: number;
  amd_timeout_ms?: number;
  recording?: boolean;
}
/** An agent: who answers or places calls, and how. */
export interface Agent {
  id: string;
  org_id: string;
  user_id: string | null;
  name: string;
  type: AgentType;
  persona: string | null;
  instructions: string | null;
  voice: string | null;
  language: string;
  returns: ReturnsSchema | null;
  tools: AgentTool[];
  webhook_url: string | null;
  voicemail_action: VoicemailAction;
  voicemail_message: string | null;
  first_message: string | null;
  timezone: string;
  settings: AgentSettings;
  primary_number_id: string | null;
  numbers: PhoneNumber[];
  version: number;
  archived_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
/** Fields an agent can be created with. */
export interface AgentCreateParams {
  name: string;
  type: AgentType;
  persona?: string | null;
  instructions?: string | null;
  voice?: string | null;
  language?: string;
  timezone?: string;
  returns?: ReturnsSchema | null;
  tools?: AgentTool[];
  webhook_url?: string | null;
  voicemail_action?: VoicemailAction;
  voicemail_message?: string | null;
  first_message?: string | null;
  /** Merge patch on update: keys given replace, `null` removes a key. */
  settings?: { [K in keyof AgentSettings]?: AgentSettings[K] | null };
  /** Numbers to attach at creation; the first becomes primary unless `primary_number_id` says otherwise. */
  number_ids?: string[];
  primary_number_id?: string | null;
}
/** Fields an agent can be changed with (`type` never changes). */
export type AgentUpdateParams = Partial<Omit<AgentCreateParams, 'type' | 'number_ids'>>;
/** Filters of `agents.list`. */
export interface AgentListParams extends ListParams {
  type?: AgentType;
  include_archived?: boolean;
}
/** Body of `agents.attachNumber`. */
export interface AttachNumberParams {
  number_id: string;
  set_as_primary?: boolean;
}
/** One past configuration of an agent. */
export interface AgentVersion {
  version: number;
  created_at: Timestamp;
  config: Record<string, unknown>;
}

// ── numbers ──────────────────────────────────────────────────────────────────────────────
/** A phone number of the organisation. */
export interface PhoneNumber {
  id: string;
  e164: string;
  friendly_name: string | null;
  country_code: string;
  number_type: 'local' | 'toll_free';
  status: 'active' | 'released';
  carrier: 'sandbox' | 'sip' | 'twilio';
  sip_trunk_id: string | null;
  monthly_cost_cents: number | null;
  purchased_at: Timestamp | null;
  inbound_agent_id: string | null;
  outbound_agent_ids: string[];
  created_at: Timestamp;
  updated_at: Timestamp;
}
/** A number that can be bought. */
export interface AvailableNumber {
  phone_number: string;
  country_code: string;
  number_type: 'local' | 'toll_free';
  state: string | null;
  locality: string | null;
  monthly_cost_cents: number;
  upfront_cost_cents: number;
  currency: string;
}
/** Filters of `numbers.searchAvailable`. */
export interface NumberSearchParams {
  country_code?: string;
  area_code?: string;
  number_type?: 'local' | 'toll_free';
  limit?: number;
  carrier?: 'sandbox' | 'twilio';
}
/** Body of `numbers.purchase`. */
export interface NumberPurchaseParams {
  phone_number: string;
  carrier?: 'sandbox' | 'twilio';
}
/** Body of `numbers.importNumber`. */
export interface NumberImportParams {
  phone_number: string;
  carrier: 'sip' | 'twilio';
  sip_trunk_id?: string;
  friendly_name?: string;
}
/** Body of `numbers.update`. */
export interface NumberUpdateParams {
  friendly_name?: string | null;
}
/** Filters of `numbers.list`. */
export interface NumberListParams extends ListParams {
  status?: 'active' | 'released';
}

// ── SIP trunks ───────────────────────────────────────────────────────────────────────────
/** A SIP trunk for bring-your-own numbers. */
export interface SipTrunk {
  id: string;
  name: string;
  inbound_addresses: string[];
  auth_username: string | null;
  outbound_uri: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
/** Body of `sipTrunks.create`; `auth_password` is write-only. */
export interface SipTrunkCreateParams {
  name: string;
  inbound_addresses?: string[];
  auth_username?: string | null;
  auth_password?: string | null;
  outbound_uri?: string | null;
}
/** Body of `sipTrunks.update`. */
export type SipTrunkUpdateParams = Partial<SipTrunkCreateParams>;

// ── calls ────────────────────────────────────────────────────────────────────────────────
/** Call direction. */
export type CallDirection = 'inbound' | 'outbound';
/** Call status (calls.md → Statuses). */
export type CallStatus = 'queued' | 'initiated' | 'ringing' | 'in_progress' | 'completed' | 'no_answer' | 'busy' | 'canceled' | 'failed';
/** A call, inbound or outbound. */
export interface Call {
  id: string;
  agent_id: string;
  agent_version: number;
  direction: CallDirection;
  to_number: string;
  from_number: string;
  status: CallStatus;
  answered_by: 'human' | 'machine' | 'unknown' | null;
  persona: string | null;
  instructions: string | null;
  prompt: string | null;
  context: JsonValue | null;
  returns: ReturnsSchema | null;
  result: Record<string, unknown> | null;
  result_status: 'pending' | 'completed' | 'failed';
  result_error: string | null;
  language: string | null;
  voice: string | null;
  webhook_url: string | null;
  webhook_status: 'none' | 'pending' | 'delivered' | 'failed';
  webhook_error: string | null;
  created_at: Timestamp;
  started_at: Timestamp | null;
  answered_at: Timestamp | null;
  ended_at: Timestamp | null;
  duration_seconds: number | null;
  billed_duration_seconds: number | null;
  billing_amount_milli_cents: number | null;
  reservation_status: 'reserved' | 'settled' | 'released' | null;
  error_code: string | null;
  error_message: string | null;
  hangup_cause: string | null;
  ended_by: 'caller' | 'agent' | 'system' | 'api' | null;
  metadata: Record<string, unknown> | null;
  latency: { p50_ms: number | null; p95_ms: number | null } | null;
  recording_url: string | null;
  timezone: string | null;
  redacted_at: Timestamp | null;
  updated_at: Timestamp;
}
/** Body of `calls.create`. */
export interface CallCreateParams {
  agent_id: string;
  to: string;
  from_number?: string;
  instructions?: string;
  context?: JsonValue;
  webhook_url?: string;
  metadata?: Record<string, unknown>;
}
/** A filter value; several values are sent comma-separated (`status=completed,failed`). */
export type OneOrMany<T extends string> = T | T[];
/** Filters of `calls.list`. */
export interface CallListParams extends ListParams {
  direction?: OneOrMany<CallDirection>;
  agent_id?: OneOrMany<string>;
  status?: OneOrMany<CallStatus>;
  to_number?: OneOrMany<string>;
  from_number?: OneOrMany<string>;
  /** Inclusive. */
  created_after?: string | Date;
  /** Exclusive. */
  created_before?: string | Date;
}
/** One segment of a transcript. */
export interface TranscriptSegment {
  sequence_no: number;
  role: 'agent' | 'caller' | 'tool' | 'system';
  text: string;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  duration_ms: number | null;
  source: 'stt' | 'llm' | 'tts' | 'dtmf' | 'tool';
  interrupted: boolean;
}
/** A call's transcript. */
export interface Transcript {
  call_id: string;
  segments: TranscriptSegment[];
}
/** One entry of a call's timeline (calls.md → Call events). */
export interface CallEvent {
  id: string;
  call_id: string;
  sequence_no: number;
  type: 'status' | 'turn' | 'barge_in' | 'dtmf' | 'tool_call' | 'transfer' | 'extraction' | 'webhook_delivery' | 'error' | (string & {});
  at: Timestamp;
  data: Record<string, unknown>;
}
/** Body of `calls.extract`. */
export interface CallExtractParams {
  returns?: ReturnsSchema;
}

// ── web calls, voices, usage ─────────────────────────────────────────────────────────────
/** A browser call's connection details; the token is valid once, for 60 s. */
export interface WebCall {
  call_id: string;
  url: string;
  token: string;
  expires_at: Timestamp;
}
/** Body of `webCalls.create`. */
export interface WebCallCreateParams {
  agent_id: string;
  metadata?: Record<string, unknown>;
}
/** A TTS voice; `id` is the `<provider>:<voice>` form `voice` accepts. */
export interface Voice {
  id: string;
  provider: string;
  name: string;
  language: string;
  gender?: string | null;
  preview_url?: string | null;
}
/** One day and direction of metered usage. */
export interface UsageRow {
  date: string;
  direction: CallDirection;
  calls: number;
  minutes: number;
  billed_seconds: number;
  amount_milli_cents: number;
}
/** Answer of `usage.retrieve`. */
export interface Usage {
  data: UsageRow[];
}
/** Filters of `usage.retrieve`: UTC days, both inclusive. */
export interface UsageParams {
  from?: string;
  to?: string;
}

// ── API keys ─────────────────────────────────────────────────────────────────────────────
/** An API key (the secret itself is shown only at creation). */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
}
/** A newly created key with its `secret`, shown once. */
export interface ApiKeyWithSecret extends ApiKey {
  secret: string;
}
/** Body of `apiKeys.create`. */
export interface ApiKeyCreateParams {
  name: string;
  expires_at?: string | null;
}

// ── webhooks ─────────────────────────────────────────────────────────────────────────────
/** Webhook event types. */
export type WebhookEventType =
  | 'call.queued' | 'call.ringing' | 'call.answered' | 'call.completed'
  | 'call.failed' | 'call.no_answer' | 'call.busy' | 'call.canceled';
/** The body of a webhook delivery. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType | (string & {});
  created: number;
  api_version: string;
  data: { call: Call };
}
/** An account-wide webhook endpoint. */
export interface WebhookEndpoint {
  id: string;
  org_id: string;
  url: string;
  description: string | null;
  enabled_events: string[];
  status: 'enabled' | 'disabled';
  disabled_reason: string | null;
  disabled_at: Timestamp | null;
  consecutive_failures: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Only in the create and rotate answers. */
  signing_secret?: string;
}
/** Body of `webhookEndpoints.create`. */
export interface WebhookEndpointCreateParams {
  url: string;
  description?: string | null;
  enabled_events?: string[];
}
/** Body of `webhookEndpoints.update`. */
export interface WebhookEndpointUpdateParams {
  url?: string;
  description?: string | null;
  enabled_events?: string[];
  status?: 'enabled' | 'disabled';
}
/** One attempt of a delivery. */
export interface WebhookDeliveryAttempt {
  at?: Timestamp;
  status_code?: number | null;
  duration_ms?: number | null;
  error?: string | null;
  [key: string]: unknown;
}
/** One (event, destination) delivery. */
export interface WebhookDelivery {
  id: string;
  org_id: string;
  endpoint_id: string | null;
  call_id: string;
  event_type: string;
  url: string;
  status: 'pending' | 'delivered' | 'exhausted';
  attempt_count: number;
  manual_retry_count: number;
  next_attempt_at: Timestamp | null;
  last_error: string | null;
  last_response_status: number | null;
  delivered_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Only on the single-object read. */
  attempts?: WebhookDeliveryAttempt[];
}
/** Filters of `webhookDeliveries.list`. */
export interface WebhookDeliveryListParams extends ListParams {
  endpoint_id?: string;
  call_id?: string;
  status?: OneOrMany<'pending' | 'delivered' | 'exhausted'>;
}
/** The organisation's default signing secret. */
export interface WebhookSecret {
  secret: string;
  created_at: Timestamp;
}

// ── live events ──────────────────────────────────────────────────────────────────────────
/** One message of `GET /v1/events/stream`. */
export interface LiveEvent {
  /** The call event id (`cev_…`); pass it as `lastEventId` to resume. */
  id: string | undefined;
  /** The SSE event name: a webhook type or `call.turn`. */
  event: string;
  type: string;
  created: number;
  api_version: string;
  data: { call: Call } & Record<string, unknown>;
}

// ── lists ────────────────────────────────────────────────────────────────────────────────
/** Paging parameters every list takes. */
export interface ListParams {
  /** Page size: default 50, at most 200. */
  limit?: number;
  /** Where to start: a `next_cursor` from an earlier page with the same filters. */
  cursor?: string;
}
