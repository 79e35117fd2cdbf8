import { sql, type Kysely } from 'kysely';

/**
 * The initial schema. Plain SQL both engines accept (PGlite is PostgreSQL 18, the server may be 15:
 * stay within 15). Rules that must hold under concurrency live here, not only in code:
 * - one inbound agent per number: partial unique index `one_inbound_agent_per_number`;
 * - a link's direction equals its agent's type: FK (agent_id, direction) → agents(id, type);
 * - `type` never changes: trigger `agents_type_immutable`;
 * - `primary_number_id` is always attached: FK (id, primary_number_id) → agent_numbers, which
 *   clears the primary when the link goes (ON DELETE SET NULL (primary_number_id), PG 15+).
 */
const STATEMENTS = [
  `create table organizations (
    id text primary key,
    name text not null,
    webhook_secret text not null,
    webhook_secret_created_at timestamptz not null,
    created_at timestamptz not null
  )`,
  `create table api_keys (
    id text primary key,
    org_id text not null references organizations(id),
    name text not null,
    prefix text not null,
    key_hash text not null unique,
    created_at timestamptz not null,
    last_used_at timestamptz,
    expires_at timestamptz,
    revoked_at timestamptz
  )`,
  `create index api_keys_org on api_keys (org_id, created_at desc, id desc)`,
  `create table sip_trunks (
    id text primary key,
    org_id text not null references organizations(id),
    name text not null,
    inbound_addresses jsonb not null default '[]',
    auth_username text,
    auth_password text,
    outbound_uri text,
    deleted_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
  `create index sip_trunks_org on sip_trunks (org_id, created_at desc, id desc)`,
  `create table numbers (
    id text primary key,
    org_id text not null references organizations(id),
    e164 text not null,
    friendly_name text,
    country_code text not null,
    number_type text not null check (number_type in ('local', 'toll_free')),
    status text not null check (status in ('active', 'released')),
    carrier text not null check (carrier in ('sandbox', 'sip', 'twilio')),
    sip_trunk_id text references sip_trunks(id),
    monthly_cost_cents integer not null default 0,
    purchased_at timestamptz not null,
    released_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    check ((carrier = 'sip') = (sip_trunk_id is not null))
  )`,
  // A phone number routes to one place in the whole installation.
  `create unique index numbers_one_active_e164 on numbers (e164) where status = 'active'`,
  `create index numbers_org on numbers (org_id, status, created_at desc, id desc)`,
  `create table agents (
    id text primary key,
    org_id text not null references organizations(id),
    user_id text,
    type text not null check (type in ('inbound', 'outbound')),
    name text not null,
    persona text,
    instructions text,
    voice text,
    language text not null,
    returns jsonb,
    tools jsonb not null default '[]',
    webhook_url text,
    voicemail_action text not null check (voicemail_action in ('hangup', 'leave_message')),
    voicemail_message text,
    first_message text,
    timezone text not null,
    settings jsonb not null default '{}',
    primary_number_id text,
    version integer not null,
    archived_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    unique (id, type)
  )`,
  `create index agents_org on agents (org_id, created_at desc, id desc)`,
  `create function agents_type_immutable() returns trigger language plpgsql as $$
   begin
     if new.type <> old.type then
       raise exception 'agent type never changes' using errcode = '23514', constraint = 'agents_type_immutable';
     end if;
     return new;
   end $$`,
  `create trigger agents_type_immutable before update on agents
     for each row execute function agents_type_immutable()`,
  `create table agent_numbers (
    agent_id text not null,
    number_id text not null references numbers(id),
    org_id text not null references organizations(id),
    direction text not null check (direction in ('inbound', 'outbound')),
    created_at timestamptz not null,
    primary key (agent_id, number_id),
    foreign key (agent_id, direction) references agents(id, type)
  )`,
  `create unique index one_inbound_agent_per_number on agent_numbers (number_id) where direction = 'inbound'`,
  `alter table agents add constraint agents_primary_is_attached
     foreign key (id, primary_number_id) references agent_numbers(agent_id, number_id)
     on delete set null (primary_number_id) deferrable initially deferred`,
  `create table agent_versions (
    agent_id text not null references agents(id),
    version integer not null,
    config jsonb not null,
    created_at timestamptz not null,
    primary key (agent_id, version)
  )`,
  `create table calls (
    id text primary key,
    org_id text not null references organizations(id),
    agent_id text references agents(id),
    agent_version integer,
    direction text not null check (direction in ('inbound', 'outbound')),
    to_number text not null,
    from_number text,
    status text not null check (status in ('queued', 'initiated', 'ringing', 'in_progress', 'completed', 'no_answer', 'busy', 'canceled', 'failed')),
    answered_by text check (answered_by in ('human', 'machine', 'unknown')),
    snapshot jsonb not null default '{}',
    context jsonb,
    result jsonb,
    result_status text not null default 'pending' check (result_status in ('pending', 'completed', 'failed')),
    result_error text,
    webhook_url text,
    webhook_status text not null default 'none' check (webhook_status in ('none', 'pending', 'delivered', 'failed')),
    webhook_error text,
    started_at timestamptz,
    answered_at timestamptz,
    ended_at timestamptz,
    duration_seconds integer,
    billed_duration_seconds integer,
    billing_amount_milli_cents bigint,
    reservation_status text check (reservation_status in ('reserved', 'settled', 'released')),
    error_code text,
    error_message text,
    hangup_cause text,
    ended_by text check (ended_by in ('caller', 'agent', 'system', 'api')),
    metadata jsonb,
    latency jsonb,
    recording_path text,
    redacted_at timestamptz,
    worker_id text,
    heartbeat_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
  `create index calls_org_created on calls (org_id, created_at desc, id desc)`,
  `create index calls_org_agent on calls (org_id, agent_id, created_at desc, id desc)`,
  `create index calls_org_status on calls (org_id, status, created_at desc, id desc)`,
  `create index calls_org_to on calls (org_id, to_number, created_at desc, id desc)`,
  `create index calls_org_from on calls (org_id, from_number, created_at desc, id desc)`,
  `create table call_events (
    id text primary key,
    org_id text not null references organizations(id),
    call_id text not null references calls(id),
    sequence_no integer not null,
    type text not null,
    at timestamptz not null,
    data jsonb not null,
    unique (call_id, sequence_no)
  )`,
  `create table transcript_segments (
    call_id text not null references calls(id),
    sequence_no integer not null,
    role text not null check (role in ('agent', 'caller', 'tool', 'system')),
    text text not null,
    started_at timestamptz not null,
    ended_at timestamptz not null,
    duration_ms integer not null,
    source text not null check (source in ('stt', 'llm', 'tts', 'dtmf', 'tool')),
    interrupted boolean not null default false,
    primary key (call_id, sequence_no)
  )`,
  `create table webhook_endpoints (
    id text primary key,
    org_id text not null references organizations(id),
    url text not null,
    description text,
    enabled_events jsonb not null,
    status text not null check (status in ('enabled', 'disabled')),
    disabled_reason text,
    disabled_at timestamptz,
    consecutive_failures integer not null default 0,
    signing_secret text not null,
    deleted_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
  `create index webhook_endpoints_org on webhook_endpoints (org_id, created_at desc, id desc)`,
  `create table webhook_deliveries (
    id text primary key,
    org_id text not null references organizations(id),
    endpoint_id text references webhook_endpoints(id),
    call_id text references calls(id),
    event_type text not null,
    url text not null,
    payload jsonb,
    status text not null check (status in ('pending', 'delivered', 'exhausted')),
    attempt_count integer not null default 0,
    manual_retry_count integer not null default 0,
    next_attempt_at timestamptz,
    last_error text,
    last_response_status integer,
    delivered_at timestamptz,
    locked_until timestamptz,
    locked_by text,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
  `create index webhook_deliveries_org on webhook_deliveries (org_id, created_at desc, id desc)`,
  `create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending'`,
  `create table webhook_attempts (
    delivery_id text not null references webhook_deliveries(id),
    attempt_no integer not null,
    at timestamptz not null,
    status_code integer,
    duration_ms integer not null,
    error text,
    primary key (delivery_id, attempt_no)
  )`,
  `create table idempotency_keys (
    org_id text not null references organizations(id),
    key text not null,
    request_hash text not null,
    state text not null check (state in ('running', 'done')),
    response_status integer,
    response_body text,
    created_at timestamptz not null,
    primary key (org_id, key)
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of STATEMENTS) await sql.raw(s).execute(db);
}
