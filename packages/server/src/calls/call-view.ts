import { sql, type RawBuilder } from 'kysely';
import type { CallsTable } from '../store/schema.ts';

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** The public call object (api.md → Calls), used by the API and by webhook payloads alike. */
type Snapshot = { persona?: string | null; instructions?: string | null; returns?: Record<string, unknown> | null; language?: string; voice?: string | null; timezone?: string };

/**
 * The public call object (api.md → Calls) of a row. `CALL_VIEW_JSON` below builds the same object
 * in SQL for the list endpoint: a change here is a change there (test/api/call-view-json.test.ts
 * compares the two on both engines).
 */
export function callView(c: CallsTable) {
  const snap = c.snapshot as Snapshot;
  return {
    id: c.id, agent_id: c.agent_id, agent_version: c.agent_version, direction: c.direction, to_number: c.to_number,
    from_number: c.from_number, status: c.status, answered_by: c.answered_by,
    persona: snap.persona ?? null, instructions: snap.instructions ?? null, prompt: snap.instructions ?? null,
    context: c.context, returns: snap.returns ?? null, result: c.result, result_status: c.result_status, result_error: c.result_error,
    language: snap.language ?? null, voice: snap.voice ?? null, webhook_url: c.webhook_url, webhook_status: c.webhook_status,
    webhook_error: c.webhook_error, created_at: iso(c.created_at)!, started_at: iso(c.started_at), answered_at: iso(c.answered_at),
    ended_at: iso(c.ended_at), duration_seconds: c.duration_seconds, billed_duration_seconds: c.billed_duration_seconds,
    billing_amount_milli_cents: c.billing_amount_milli_cents === null ? null : Number(c.billing_amount_milli_cents),
    reservation_status: c.reservation_status, error_code: c.error_code, error_message: c.error_message,
    hangup_cause: c.hangup_cause, ended_by: c.ended_by, metadata: c.metadata as Record<string, unknown> | null,
    latency: c.latency as { p50_ms: number | null; p95_ms: number | null } | null,
    recording_url: c.recording_path ? `/v1/calls/${c.id}/recording` : null, timezone: snap.timezone ?? null,
    redacted_at: iso(c.redacted_at), updated_at: iso(c.updated_at)!,
  };
}

/** The public call object as `callView` returns it. */
export type CallObject = ReturnType<typeof callView>;

// Date.prototype.toISOString in SQL: UTC, milliseconds truncated like the driver's Date, `Z`.
// (Years 0001-9999; toISOString writes `+010000-…` beyond, which no call timestamp reaches.)
const sqlIso = (column: string): string => `to_char(calls.${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
// `snap.x ?? null`: a missing key is SQL NULL, a JSON null stays null; both are written as null.
const sqlSnapshot = (key: string): string => `calls.snapshot->'${key}'`;

/**
 * `callView` field by field as SQL over a row of `calls`, in callView's order (the object's key
 * order is the JSON's). The `satisfies` makes a field added to one and not the other a type error.
 */
const CALL_VIEW_SQL_FIELDS = {
  id: 'calls.id', agent_id: 'calls.agent_id', agent_version: 'calls.agent_version', direction: 'calls.direction', to_number: 'calls.to_number',
  from_number: 'calls.from_number', status: 'calls.status', answered_by: 'calls.answered_by',
  persona: sqlSnapshot('persona'), instructions: sqlSnapshot('instructions'), prompt: sqlSnapshot('instructions'),
  context: 'calls.context', returns: sqlSnapshot('returns'), result: 'calls.result', result_status: 'calls.result_status', result_error: 'calls.result_error',
  language: sqlSnapshot('language'), voice: sqlSnapshot('voice'), webhook_url: 'calls.webhook_url', webhook_status: 'calls.webhook_status',
  webhook_error: 'calls.webhook_error', created_at: sqlIso('created_at'), started_at: sqlIso('started_at'), answered_at: sqlIso('answered_at'),
  ended_at: sqlIso('ended_at'), duration_seconds: 'calls.duration_seconds', billed_duration_seconds: 'calls.billed_duration_seconds',
  billing_amount_milli_cents: 'calls.billing_amount_milli_cents',
  reservation_status: 'calls.reservation_status', error_code: 'calls.error_code', error_message: 'calls.error_message',
  hangup_cause: 'calls.hangup_cause', ended_by: 'calls.ended_by', metadata: 'calls.metadata',
  latency: 'calls.latency',
  // callView tests truthiness: an empty path has no recording either.
  recording_url: `case when calls.recording_path <> '' then '/v1/calls/' || calls.id || '/recording' end`, timezone: sqlSnapshot('timezone'),
  redacted_at: sqlIso('redacted_at'), updated_at: sqlIso('updated_at'),
} satisfies Record<keyof CallObject, string>;

/**
 * The public call object of the current `calls` row as compact JSON text, built by the database
 * (a per-row subquery so its column names stay out of the outer query). The list endpoint sends
 * these as they are: Node neither decodes the rows nor stringifies objects, which was most of a
 * list request's CPU (bench/results). Nested JSON values keep PostgreSQL's jsonb formatting
 * (`{"a": 1}`); the parsed value equals callView's.
 */
export const CALL_VIEW_JSON: RawBuilder<string> = sql<string>`(select row_to_json(v)::text from (select ${sql.raw(
  Object.entries(CALL_VIEW_SQL_FIELDS).map(([name, expr]) => `${expr} as ${name}`).join(', '),
)}) v)`;
