import type { MiddlewareHandler } from 'hono';
import { RateLimitError, UnauthorizedError } from '../../core/errors.ts';
import type { Clock } from '../../core/clock.ts';
import type { Store } from '../../store/store.ts';
import type { ApiEnv } from '../env.ts';

/** Bearer-key authentication: sets the caller's organisation; 401 for missing, unknown, revoked or expired keys. */
export function authenticate(store: Store): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new UnauthorizedError();
    const key = await store.apiKeys.authenticate(m[1]!);
    if (!key) throw new UnauthorizedError('Invalid API key: unknown, revoked or expired. Create a new key with `npx callingbox org create` or POST /v1/api_keys.');
    c.set('orgId', key.orgId);
    c.set('keyId', key.keyId);
    return next();
  };
}

/** A token bucket per API key: `perSecond` refill, `burst` capacity; 429 with Retry-After beyond it. */
export function rateLimit(opts: { perSecond: number; burst: number; clock: Clock }): MiddlewareHandler<ApiEnv> {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return async (c, next) => {
    const id = c.get('keyId');
    const now = opts.clock.now();
    const b = buckets.get(id) ?? { tokens: opts.burst, at: now };
    b.tokens = Math.min(opts.burst, b.tokens + ((now - b.at) / 1000) * opts.perSecond);
    b.at = now;
    if (b.tokens < 1) {
      buckets.set(id, b);
      throw new RateLimitError(Math.max(1, Math.ceil((1 - b.tokens) / opts.perSecond)));
    }
    b.tokens -= 1;
    buckets.set(id, b);
    return next();
  };
}
