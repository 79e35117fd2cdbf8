/**
 * Experiment, not product code: the page of `GET /v1/calls?status=…&limit=50` (CallRepo.list +
 * callView) built by the database as one JSON text value, so Node neither decodes the rows nor
 * stringifies them. Parameters: $1 org id, $2 status. api-diagnose.ts checks that its items have
 * the same fields and values as callView's.
 */
const iso = (c: string): string => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
export const LIST_AS_JSON_SQL = `
select coalesce(json_agg(j order by created_at desc, id desc), '[]')::text as body from (
  select created_at, id, json_build_object(
    'id', id, 'agent_id', agent_id, 'agent_version', agent_version, 'direction', direction, 'to_number', to_number,
    'from_number', from_number, 'status', status, 'answered_by', answered_by,
    'persona', snapshot->'persona', 'instructions', snapshot->'instructions', 'prompt', snapshot->'instructions',
    'context', context, 'returns', snapshot->'returns', 'result', result, 'result_status', result_status, 'result_error', result_error,
    'language', snapshot->'language', 'voice', snapshot->'voice', 'webhook_url', webhook_url, 'webhook_status', webhook_status,
    'webhook_error', webhook_error, 'created_at', ${iso('created_at')}, 'started_at', ${iso('started_at')}, 'answered_at', ${iso('answered_at')},
    'ended_at', ${iso('ended_at')}, 'duration_seconds', duration_seconds, 'billed_duration_seconds', billed_duration_seconds,
    'billing_amount_milli_cents', billing_amount_milli_cents, 'reservation_status', reservation_status, 'error_code', error_code,
    'error_message', error_message, 'hangup_cause', hangup_cause, 'ended_by', ended_by, 'metadata', metadata, 'latency', latency,
    'recording_url', case when recording_path is not null then '/v1/calls/' || id || '/recording' end, 'timezone', snapshot->'timezone',
    'redacted_at', ${iso('redacted_at')}, 'updated_at', ${iso('updated_at')}) as j
  from calls where org_id = $1 and status in ($2) order by created_at desc, id desc limit 50
) page`;
