import { z } from '@hono/zod-openapi';
import { NullableTimestamp, Timestamp } from './common.ts';

export const CALL_STATUSES = ['queued', 'initiated', 'ringing', 'in_progress', 'completed', 'no_answer', 'busy', 'canceled', 'failed'] as const;

export const Call = z
  .object({
    id: z.string(),
    agent_id: z.string().nullable(),
    agent_version: z.number().int().nullable(),
    direction: z.enum(['inbound', 'outbound']),
    to_number: z.string(),
    from_number: z.string().nullable(),
    status: z.enum(CALL_STATUSES),
    answered_by: z.enum(['human', 'machine', 'unknown']).nullable(),
    persona: z.string().nullable(),
    instructions: z.string().nullable(),
    prompt: z.string().nullable(),
    context: z.unknown().nullable(),
    returns: z.record(z.string(), z.unknown()).nullable(),
    result: z.unknown().nullable(),
    result_status: z.enum(['pending', 'completed', 'failed']),
    result_error: z.string().nullable(),
    language: z.string().nullable(),
    voice: z.string().nullable(),
    webhook_url: z.string().nullable(),
    webhook_status: z.enum(['none', 'pending', 'delivered', 'failed']),
    webhook_error: z.string().nullable(),
    created_at: Timestamp,
    started_at: NullableTimestamp,
    answered_at: NullableTimestamp,
    ended_at: NullableTimestamp,
    duration_seconds: z.number().int().nullable(),
    billed_duration_seconds: z.number().int().nullable(),
    billing_amount_milli_cents: z.number().int().nullable(),
    reservation_status: z.enum(['reserved', 'settled', 'released']).nullable(),
    error_code: z.string().nullable(),
    error_message: z.string().nullable(),
    hangup_cause: z.string().nullable(),
    ended_by: z.enum(['caller', 'agent', 'system', 'api']).nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    latency: z.object({ p50_ms: z.number().nullable(), p95_ms: z.number().nullable() }).nullable(),
    recording_url: z.string().nullable(),
    timezone: z.string().nullable(),
    redacted_at: NullableTimestamp,
    updated_at: Timestamp,
  })
  .openapi('Call');

export const TranscriptSegment = z
  .object({
    sequence_no: z.number().int(),
    role: z.enum(['agent', 'caller', 'tool', 'system']),
    text: z.string(),
    started_at: Timestamp,
    ended_at: Timestamp,
    duration_ms: z.number().int(),
    source: z.enum(['stt', 'llm', 'tts', 'dtmf', 'tool']),
    interrupted: z.boolean(),
  })
  .openapi('TranscriptSegment');

export const Transcript = z.object({ call_id: z.string(), segments: z.array(TranscriptSegment) }).openapi('Transcript');

export const CallEvent = z
  .object({ id: z.string(), call_id: z.string(), sequence_no: z.number().int(), type: z.string(), at: Timestamp, data: z.record(z.string(), z.unknown()) })
  .openapi('CallEvent');
