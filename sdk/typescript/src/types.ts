/**
 * Objects and parameters of the CallingBox API (api.md, calls.md, webhooks.md), with the API's
 * snake_case field names. Objects the OpenAPI document describes are derived from the types
 * generated from it (`src/generated/openapi.ts`, `npm run -w callingbox generate`), refined where
 * the document is looser than the contract (`returns`, `result`, `tools`); the rest (webhook and
 * live-event envelopes, routes the document does not list yet) are written from the spec.
 * `test/openapi-types.test.ts` checks the hand-written ones against the document.
 */
import type { components } from './generated/openapi.js';

/** The schemas of the OpenAPI document, as generated. */
export type Schemas = components['schemas'];

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
  /** Default `POST`. */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  /** Default 5000. */
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
export type AgentType = Schemas['Agent']['type'];
/** What an outbound agent does on reaching voicemail. */
export type VoicemailAction = Schemas['Agent']['voicemail_action'];
/** Runtime knobs of an agent; absent keys take the installation default. */
export type AgentSettings = Schemas['AgentSettings'];
/** An agent: who answers or places calls, and how. */
export interface Agent extends Omit<Schemas['Agent'], 'returns' | 'tools' | 'numbers'> {
  returns: ReturnsSchema | null;
  tools: AgentTool[];
  numbers: PhoneNumber[];
}
/** Fields an agent can be created with. */
export interface AgentCreateParams extends Omit<Schemas['AgentCreate'], 'returns' | 'tools'> {
  returns?: ReturnsSchema | null;
  tools?: AgentTool[];
}
/** Fields an agent can be changed with (`type` never changes); `settings` is a merge patch (`null` removes a key). */
export interface AgentUpdateParams extends Omit<Schemas['AgentPatch'], 'returns' | 'tools' | 'type'> {
  returns?: ReturnsSchema | null;
  tools?: AgentTool[];
}
/** Filters of `agents.list`. */
export interface AgentListParams extends ListParams {
  type?: AgentType;
  include_archived?: boolean;
}
/** Body of `agents.attachNumber`. */
export type AttachNumberParams = Schemas['AttachNumber'];
/** One past configuration of an agent. */
export type AgentVersion = Schemas['AgentVersion'];

// ── numbers ──────────────────────────────────────────────────────────────────────────────
/** A phone number of the organisation. */
export type PhoneNumber = Schemas['Number'];
/** A number that can be bought. */
export type AvailableNumber = Schemas['AvailableNumber'];
/** Filters of `numbers.searchAvailable`. */
export interface NumberSearchParams {
  country_code?: string;
  area_code?: string;
  number_type?: 'local' | 'toll_free';
  limit?: number;
  carrier?: 'sandbox' | 'twilio';
}
/** Body of `numbers.purchase`. */
export type NumberPurchaseParams = Schemas['PurchaseNumber'];
/** Body of `numbers.importNumber`. */
export type NumberImportParams = Schemas['ImportNumber'];
/** Body of `numbers.update`. */
export type NumberUpdateParams = Schemas['NumberPatch'];
/** Filters of `numbers.list`. */
export interface NumberListParams extends ListParams {
  status?: 'active' | 'released';
}

// ── SIP trunks ───────────────────────────────────────────────────────────────────────────
/** A SIP trunk for bring-your-own numbers. */
export type SipTrunk = Schemas['SipTrunk'];
/** Body of `sipTrunks.create`; `auth_password` is write-only. */
export type SipTrunkCreateParams = Schemas['SipTrunkCreate'];
/** Body of `sipTrunks.update`. */
export type SipTrunkUpdateParams = Schemas['SipTrunkPatch'];

// ── calls ────────────────────────────────────────────────────────────────────────────────
/** Call direction. */
export type CallDirection = Schemas['Call']['direction'];
/** Call status (calls.md → Statuses). */
export type CallStatus = Schemas['Call']['status'];
/** A call, inbound or outbound. */
export interface Call extends Omit<Schemas['Call'], 'returns' | 'result' | 'context'> {
  returns: ReturnsSchema | null;
  /** The extracted fields (every key of `returns`, `null` when not discussed), or null. */
  result: Record<string, unknown> | null;
  context: JsonValue | null;
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
export type TranscriptSegment = Schemas['TranscriptSegment'];
/** A call's transcript. */
export type Transcript = Schemas['Transcript'];
/** One entry of a call's timeline (calls.md → Call events). */
export interface CallEvent extends Omit<Schemas['CallEvent'], 'type'> {
  type: 'status' | 'turn' | 'barge_in' | 'dtmf' | 'tool_call' | 'transfer' | 'extraction' | 'webhook_delivery' | 'error' | (string & {});
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
export type UsageRow = Schemas['UsageRow'];
/** Answer of `usage.retrieve`. */
export type Usage = Schemas['Usage'];
/** Filters of `usage.retrieve`: UTC days, both inclusive. */
export interface UsageParams {
  from?: string;
  to?: string;
}

// ── API keys ─────────────────────────────────────────────────────────────────────────────
/** An API key (the secret itself is shown only at creation). */
export type ApiKey = Omit<Schemas['ApiKey'], 'secret'>;
/** A newly created key with its `secret`, shown once. */
export interface ApiKeyWithSecret extends ApiKey {
  secret: string;
}
/** Body of `apiKeys.create`. */
export type ApiKeyCreateParams = Schemas['ApiKeyCreate'];

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
/** An account-wide webhook endpoint; `signing_secret` only in the create and rotate answers. */
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
/** Body of `webhookEndpoints.create`. */
export type WebhookEndpointCreateParams = Schemas['WebhookEndpointCreate'];
/** Body of `webhookEndpoints.update`. */
export type WebhookEndpointUpdateParams = Schemas['WebhookEndpointPatch'];
/** One attempt of a delivery. */
export type WebhookDeliveryAttempt = Schemas['WebhookAttempt'];
/** One (event, destination) delivery; `attempts` only on the single-object read. */
export type WebhookDelivery = Schemas['WebhookDelivery'];
/** Filters of `webhookDeliveries.list`. */
export interface WebhookDeliveryListParams extends ListParams {
  endpoint_id?: string;
  call_id?: string;
  status?: OneOrMany<'pending' | 'delivered' | 'exhausted'>;
}
/** The organisation's default signing secret. */
export type WebhookSecret = Schemas['WebhookSecret'];
/** Answer of `GET /v1/health` (no key needed). */
export type Health = Schemas['Health'];

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
