import type { CallsTable } from '../store/schema.ts';

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** The public call object (api.md → Calls), used by the API and by webhook payloads alike. */
type Snapshot = { persona?: string | null; instructions?: string | null; returns?: Record<string, unknown> | null; language?: string; voice?: string | null; timezone?: string };

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

