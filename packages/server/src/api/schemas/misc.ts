import { isIP } from 'node:net';
import { z } from '@hono/zod-openapi';
import { HttpUrl, NullableTimestamp, Timestamp } from './common.ts';

/** An IPv4/IPv6 address or CIDR block. */
const Cidr = z.string().max(64).refine((v) => {
  const [addr, bits, ...rest] = v.split('/');
  const family = isIP(addr ?? '');
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}, 'an IP address or CIDR block such as 203.0.113.0/24');

const SipUri = z.string().max(512).regex(/^sips?:[^\s]+$/, 'a SIP URI such as sip:carrier.example:5060');

const trunkFields = {
  name: z.string().min(1).max(200),
  inbound_addresses: z.array(Cidr).max(100),
  auth_username: z.string().min(1).max(200).nullable(),
  auth_password: z.string().min(1).max(200).nullable(),
  outbound_uri: SipUri.nullable(),
};
export const TrunkCreateBody = z
  .strictObject({
    name: trunkFields.name,
    inbound_addresses: trunkFields.inbound_addresses.default([]),
    auth_username: trunkFields.auth_username.optional(),
    auth_password: trunkFields.auth_password.optional(),
    outbound_uri: trunkFields.outbound_uri.optional(),
  })
  .openapi('SipTrunkCreate');
export const TrunkPatchBody = z.strictObject(Object.fromEntries(Object.entries(trunkFields).map(([k, v]) => [k, v.optional()]))).openapi('SipTrunkPatch');
export const SipTrunk = z
  .object({ id: z.string(), name: z.string(), inbound_addresses: z.array(z.string()), auth_username: z.string().nullable(), outbound_uri: z.string().nullable(), created_at: Timestamp, updated_at: Timestamp })
  .openapi('SipTrunk');

export const ApiKeyCreateBody = z.strictObject({ name: z.string().min(1).max(200), expires_at: Timestamp.nullable().optional() }).openapi('ApiKeyCreate');
export const ApiKey = z
  .object({ id: z.string(), name: z.string(), prefix: z.string(), created_at: Timestamp, last_used_at: NullableTimestamp, expires_at: NullableTimestamp, revoked_at: NullableTimestamp, secret: z.string().optional() })
  .openapi('ApiKey');

export const WEBHOOK_EVENT_TYPES = ['call.queued', 'call.ringing', 'call.answered', 'call.completed', 'call.failed', 'call.no_answer', 'call.busy', 'call.canceled'] as const;
const EnabledEvents = z.array(z.enum(['*', ...WEBHOOK_EVENT_TYPES])).min(1).max(20);
export const EndpointCreateBody = z
  .strictObject({ url: HttpUrl, description: z.string().max(500).nullable().optional(), enabled_events: EnabledEvents.optional() })
  .openapi('WebhookEndpointCreate');
export const EndpointPatchBody = z
  .strictObject({ url: HttpUrl.optional(), description: z.string().max(500).nullable().optional(), enabled_events: EnabledEvents.optional(), status: z.enum(['enabled', 'disabled']).optional() })
  .openapi('WebhookEndpointPatch');
export const WebhookEndpoint = z
  .object({
    id: z.string(), org_id: z.string(), url: z.string(), description: z.string().nullable(), enabled_events: z.array(z.string()),
    status: z.enum(['enabled', 'disabled']), disabled_reason: z.string().nullable(), disabled_at: NullableTimestamp,
    consecutive_failures: z.number().int(), created_at: Timestamp, updated_at: Timestamp, signing_secret: z.string().optional(),
  })
  .openapi('WebhookEndpoint');

export const WebhookAttempt = z.object({ at: Timestamp, status_code: z.number().int().nullable(), duration_ms: z.number().int(), error: z.string().nullable() }).openapi('WebhookAttempt');
export const WebhookDelivery = z
  .object({
    id: z.string(), org_id: z.string(), endpoint_id: z.string().nullable(), call_id: z.string().nullable(), event_type: z.string(), url: z.string(),
    status: z.enum(['pending', 'delivered', 'exhausted']), attempt_count: z.number().int(), manual_retry_count: z.number().int(),
    next_attempt_at: NullableTimestamp, last_error: z.string().nullable(), last_response_status: z.number().int().nullable(),
    delivered_at: NullableTimestamp, created_at: Timestamp, updated_at: Timestamp, attempts: z.array(WebhookAttempt).optional(),
  })
  .openapi('WebhookDelivery');
export const WebhookSecret = z.object({ secret: z.string(), created_at: Timestamp }).openapi('WebhookSecret');

export const UsageRow = z
  .object({ date: z.string(), direction: z.enum(['inbound', 'outbound']), calls: z.number().int(), minutes: z.number(), billed_seconds: z.number().int(), amount_milli_cents: z.number().int() })
  .openapi('UsageRow');

const ComponentStatus = z.object({ status: z.string(), provider: z.string().optional(), detail: z.string().optional() });
export const Health = z
  .object({
    status: z.enum(['ok', 'degraded', 'down']),
    version: z.string(),
    uptime_s: z.number(),
    ports: z.object({ http: z.number().int().nullable(), sip: z.number().int().nullable(), rtp_min: z.number().int(), rtp_max: z.number().int() }),
    components: z.object({ database: ComponentStatus, sip: ComponentStatus, vad: ComponentStatus, stt: ComponentStatus, llm: ComponentStatus, tts: ComponentStatus }),
  })
  .openapi('Health');
