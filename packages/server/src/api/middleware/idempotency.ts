import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ConflictError, ValidationError } from '../../core/errors.ts';
import type { Store } from '../../store/store.ts';
import type { ApiEnv } from '../env.ts';

/**
 * `Idempotency-Key` on POST (api.md → Conventions): the same key and body within 24 h replays the
 * first response; another body is 409 `idempotency_conflict`; a key still running is 409
 * `idempotency_in_progress`; 5xx answers are not stored, so a retry runs again.
 */
export function idempotency(store: Store): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const key = c.req.header('idempotency-key');
    if (key === undefined) return next();
    if (key.length === 0 || key.length > 255) throw new ValidationError('Idempotency-Key must be 1 to 255 characters.', 'Idempotency-Key');
    const orgId = c.get('orgId');
    const hash = createHash('sha256').update(`${c.req.method} ${new URL(c.req.url).pathname}\n${c.get('rawBody') ?? ''}`).digest('hex');
    const claim = await store.idempotency.claim(orgId, key, hash);
    if (claim.kind === 'conflict') throw new ConflictError('This Idempotency-Key was used with a different request; use a new key.', 'idempotency_conflict', 'Idempotency-Key');
    if (claim.kind === 'in_progress') throw new ConflictError('A request with this Idempotency-Key is still running; retry shortly.', 'idempotency_in_progress', 'Idempotency-Key');
    if (claim.kind === 'replay') {
      return new Response(claim.body, { status: claim.status, headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' } });
    }
    try {
      await next();
    } finally {
      const status = c.res.status;
      if (status >= 500) await store.idempotency.release(orgId, key);
      else await store.idempotency.complete(orgId, key, status, await c.res.clone().text());
    }
  };
}
