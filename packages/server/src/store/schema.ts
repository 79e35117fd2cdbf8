

/** JSON values as `pg` returns them from jsonb on both engines. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Jsonb<T = Json> = T;
type Ts = Date;
// int8 comes back from `pg` as a string on both engines.
type Int8 = string;

export interface OrganizationsTable {
  id: string;
  name: string;
  webhook_secret: string;
  webhook_secret_created_at: Ts;
  created_at: Ts;
}
export interface ApiKeysTable {
  id: string;
  org_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: Ts;
  last_used_at: Ts | null;
  expires_at: Ts | null;
  revoked_at: Ts | null;
}
export interface SipTrunksTable {
  id: string;
  org_id: string;
  name: string;
  inbound_addresses: Jsonb<string[]>;
  auth_username: string | null;
  auth_password: string | null;
  outbound_uri: string | null;
  deleted_at: Ts | null;
  created_at: Ts;
  updated_at: Ts;
}
export interface NumbersTable {
  id: string;
  org_id: string;
  e164: string;
  friendly_name: string | null;
  country_code: string;
  number_type: 'local' | 'toll_free';
  status: 'active' | 'released';
  carrier: 'sandbox' | 'sip' | 'twilio';
  sip_trunk_id: string | null;
  monthly_cost_cents: number;
  purchased_at: Ts;
  released_at: Ts | null;
  created_at: Ts;
  updated_at: Ts;
}
export interface AgentsTable {
  id: string;
  org_id: string;
  user_id: string | null;
  type: 'inbound' | 'outbound';
  name: string;
  persona: string | null;
  instructions: string | null;
  voice: string | null;
  language: string;
  returns: Jsonb<Json> | null;
  tools: Jsonb<Json[]>;
  webhook_url: string | null;
  voicemail_action: 'hangup' | 'leave_message';
  voicemail_message: string | null;
  first_message: string | null;
  timezone: string;
  settings: Jsonb<Record<string, Json>>;
  primary_number_id: string | null;
  version: number;
  archived_at: Ts | null;
  created_at: Ts;
  updated_at: Ts;
}
export interface AgentNumbersTable {
  agent_id: string;
  number_id: string;
  org_id: string;
  direction: 'inbound' | 'outbound';
  created_at: Ts;
}
export interface AgentVersionsTable {
  agent_id: string;
  version: number;
  config: Jsonb<Record<string, Json>>;
  created_at: Ts;
}
export type CallStatus = 'queued' | 'initiated' | 'ringing' | 'in_progress' | 'completed' | 'no_answer' | 'busy' | 'canceled' | 'failed';
export interface CallsTable {
  id: string;
  org_id: string;
  agent_id: string | null;
  agent_version: number | null;
  direction: 'inbound' | 'outbound';
  to_number: string;
  from_number: string | null;
  status: CallStatus;
  answered_by: 'human' | 'machine' | 'unknown' | null;
  snapshot: Jsonb<Record<string, Json>>;
  context: Jsonb<Json> | null;
  result: Jsonb<Json> | null;
  result_status: 'pending' | 'completed' | 'failed';
  result_error: string | null;
  webhook_url: string | null;
  webhook_status: 'none' | 'pending' | 'delivered' | 'failed';
  webhook_error: string | null;
  started_at: Ts | null;
  answered_at: Ts | null;
  ended_at: Ts | null;
  duration_seconds: number | null;
  billed_duration_seconds: number | null;
  billing_amount_milli_cents: Int8 | null;
  reservation_status: 'reserved' | 'settled' | 'released' | null;
  error_code: string | null;
  error_message: string | null;
  hangup_cause: string | null;
  ended_by: 'caller' | 'agent' | 'system' | 'api' | null;
  metadata: Jsonb<Json> | null;
  latency: Jsonb<Json> | null;
  recording_path: string | null;
  redacted_at: Ts | null;
  worker_id: string | null;
  heartbeat_at: Ts | null;
  created_at: Ts;
  updated_at: Ts;
}
export interface CallEventsTable {
  id: string;
  org_id: string;
  call_id: string;
  sequence_no: number;
  type: string;
  at: Ts;
  data: Jsonb<Record<string, Json>>;
}
export interface TranscriptSegmentsTable {
  call_id: string;
  sequence_no: number;
  role: 'agent' | 'caller' | 'tool' | 'system';
  text: string;
  started_at: Ts;
  ended_at: Ts;
  duration_ms: number;
  source: 'stt' | 'llm' | 'tts' | 'dtmf' | 'tool';
  interrupted: boolean;
}
export interface WebhookEndpointsTable {
  id: string;
  org_id: string;
  url: string;
  description: string | null;
  enabled_events: Jsonb<string[]>;
  status: 'enabled' | 'disabled';
  disabled_reason: string | null;
  disabled_at: Ts | null;
  consecutive_failures: number;
  signing_secret: string;
  deleted_at: Ts | null;
  created_at: Ts;
  updated_at: Ts;
}
export interface WebhookDeliveriesTable {
  id: string;
  org_id: string;
  endpoint_id: string | null;
  call_id: string | null;
  event_type: string;
  url: string;
  payload: Jsonb<Json> | null;
  status: 'pending' | 'delivered' | 'exhausted';
  attempt_count: number;
  manual_retry_count: number;
  next_attempt_at: Ts | null;
  last_error: string | null;
  last_response_status: number | null;
  delivered_at: Ts | null;
  locked_until: Ts | null;
  locked_by: string | null;
  created_at: Ts;
  updated_at: Ts;
}
export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt_no: number;
  at: Ts;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
}
export interface IdempotencyKeysTable {
  org_id: string;
  key: string;
  request_hash: string;
  state: 'running' | 'done';
  response_status: number | null;
  response_body: string | null;
  created_at: Ts;
}

export interface Database {
  organizations: OrganizationsTable;
  api_keys: ApiKeysTable;
  sip_trunks: SipTrunksTable;
  numbers: NumbersTable;
  agents: AgentsTable;
  agent_numbers: AgentNumbersTable;
  agent_versions: AgentVersionsTable;
  calls: CallsTable;
  call_events: CallEventsTable;
  transcript_segments: TranscriptSegmentsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  idempotency_keys: IdempotencyKeysTable;
}
