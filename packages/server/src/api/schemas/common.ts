import { z } from '@hono/zod-openapi';
import { normalizeE164 } from '../../core/phone.ts';

/** `2026-11-24T13:05:00.123Z`. */
export const Timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-24T13:05:00.123Z' });
export const NullableTimestamp = Timestamp.nullable();

export const ErrorBody = z
  .object({ error: z.string(), code: z.string(), param: z.string().optional() })
  .openapi('Error');

/** A phone number in any common form, normalised to E.164 (400 when it cannot be one). */
export const PhoneInput = z
  .string()
  .transform((v, ctx) => {
    const e164 = normalizeE164(v);
    if (!e164) {
      ctx.addIssue({ code: 'custom', message: `'${v.slice(0, 40)}' is not a phone number; use E.164 such as +14155550123` });
      return z.NEVER;
    }
    return e164;
  })
  .openapi({ type: 'string', example: '+14155550123' });

/** An http(s) URL. */
export const HttpUrl = z
  .string()
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL')
  .openapi({ format: 'uri', example: 'https://example.com/hooks/callingbox' });

/** `limit` of every list (api.md → Pagination). */
export const Limit = z.coerce.number().int().min(1).max(200).default(50).openapi({ type: 'integer', minimum: 1, maximum: 200, default: 50 });
export const Cursor = z.string().max(512).optional();

/** A comma-separated list of enum values in a query string. */
export function csvEnum<T extends string>(values: readonly [T, ...T[]]) {
  return z
    .string()
    .transform((v, ctx) => {
      const parts = v.split(',').map((p) => p.trim()).filter(Boolean);
      for (const p of parts) {
        if (!(values as readonly string[]).includes(p)) {
          ctx.addIssue({ code: 'custom', message: `'${p.slice(0, 40)}' is not one of ${values.join(', ')}` });
          return z.NEVER;
        }
      }
      return parts as T[];
    })
    .optional()
    .openapi({ type: 'string', description: `comma-separated: ${values.join(', ')}` });
}

/** A comma-separated list of free strings in a query string. */
export const CsvStrings = z
  .string()
  .max(4096)
  .transform((v) => v.split(',').map((p) => p.trim()).filter(Boolean))
  .optional()
  .openapi({ type: 'string' });

/** A comma-separated list of phone numbers in a query string, normalised. */
export const CsvPhones = z
  .string()
  .max(4096)
  .transform((v, ctx) => {
    const out: string[] = [];
    for (const p of v.split(',').map((s) => s.trim()).filter(Boolean)) {
      const e = normalizeE164(p);
      if (!e) {
        ctx.addIssue({ code: 'custom', message: `'${p.slice(0, 40)}' is not a phone number` });
        return z.NEVER;
      }
      out.push(e);
    }
    return out;
  })
  .optional()
  .openapi({ type: 'string' });

/** An ISO 8601 instant in a query string. */
export const QueryInstant = z
  .string()
  .transform((v, ctx) => {
    const d = new Date(v);
    if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 time such as 2026-11-24T13:05:00Z' });
      return z.NEVER;
    }
    return d;
  })
  .optional()
  .openapi({ type: 'string', format: 'date-time' });

export const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

/** `{data, has_more, next_cursor}` of a list. */
export function listOf<T extends z.ZodTypeAny>(item: T, name: string) {
  return z.object({ data: z.array(item), has_more: z.boolean(), next_cursor: z.string().nullable() }).openapi(name);
}
