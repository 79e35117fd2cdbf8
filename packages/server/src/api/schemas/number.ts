import { z } from '@hono/zod-openapi';
import { NullableTimestamp, PhoneInput, Timestamp } from './common.ts';

export const PhoneNumber = z
  .object({
    id: z.string(),
    e164: z.string(),
    friendly_name: z.string().nullable(),
    country_code: z.string(),
    number_type: z.enum(['local', 'toll_free']),
    status: z.enum(['active', 'released']),
    carrier: z.enum(['sandbox', 'sip', 'twilio']),
    sip_trunk_id: z.string().nullable(),
    monthly_cost_cents: z.number().int(),
    purchased_at: Timestamp,
    inbound_agent_id: z.string().nullable(),
    outbound_agent_ids: z.array(z.string()),
    created_at: Timestamp,
    updated_at: Timestamp,
    released_at: NullableTimestamp.optional(),
  })
  .openapi('Number');

export const AvailableNumber = z
  .object({
    phone_number: z.string(),
    country_code: z.string(),
    number_type: z.enum(['local', 'toll_free']),
    state: z.string().nullable(),
    locality: z.string().nullable(),
    monthly_cost_cents: z.number().int(),
    upfront_cost_cents: z.number().int(),
    currency: z.string(),
  })
  .openapi('AvailableNumber');

export const AvailableQuery = z.strictObject({
  country_code: z.string().regex(/^[A-Za-z]{2}$/, 'an ISO 3166 country code such as US').optional(),
  area_code: z.string().regex(/^\d{3}$/, 'a three-digit area code such as 415').optional(),
  number_type: z.enum(['local', 'toll_free']).optional(),
  carrier: z.enum(['sandbox', 'twilio']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20).openapi({ type: 'integer', default: 20 }),
});

export const PurchaseBody = z.strictObject({ phone_number: PhoneInput, carrier: z.enum(['sandbox', 'twilio']).optional() }).openapi('PurchaseNumber');

export const ImportBody = z
  .strictObject({
    phone_number: PhoneInput,
    carrier: z.enum(['sip', 'twilio']),
    sip_trunk_id: z.string().max(64).optional(),
    friendly_name: z.string().max(200).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.carrier === 'sip' && !b.sip_trunk_id) ctx.addIssue({ code: 'custom', path: ['sip_trunk_id'], message: "carrier 'sip' needs sip_trunk_id" });
    if (b.carrier !== 'sip' && b.sip_trunk_id) ctx.addIssue({ code: 'custom', path: ['sip_trunk_id'], message: "sip_trunk_id is only for carrier 'sip'" });
  })
  .openapi('ImportNumber');

export const NumberPatchBody = z.strictObject({ friendly_name: z.string().max(200).nullable().optional() }).openapi('NumberPatch');
