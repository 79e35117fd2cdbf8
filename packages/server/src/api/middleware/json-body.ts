import type { MiddlewareHandler } from 'hono';
import { ValidationError } from '../../core/errors.ts';
import type { ApiEnv } from '../env.ts';

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Reads and parses the body of every POST/PUT/PATCH once: malformed JSON, a body that is not an
 * object, or a non-JSON content type is a 400 here, before any route. An empty body counts as
 * `{}` so a missing required field is named by validation. The raw text is kept for idempotency.
 */
export const jsonBody: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const method = c.req.method;
  if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH') return next();
  const text = await c.req.text();
  let parsed: unknown = {};
  if (text.trim() !== '') {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
    if (!JSON_TYPE.test(type)) throw new ValidationError('Content-Type must be application/json.');
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ValidationError('Malformed JSON in the request body.');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ValidationError('The request body must be a JSON object.');
  const headers = new Headers(c.req.raw.headers);
  headers.set('content-type', 'application/json');
  c.req.raw = new Request(c.req.raw.url, { method, headers });
  // Hono's json() parses its cached text; an empty body reads as `{}`.
  // (hono types the cache as values; at run time it holds promises)
  c.req.bodyCache = { text: Promise.resolve(text.trim() === '' ? '{}' : text) as unknown as string };
  c.set('rawBody', text);
  return next();
};
