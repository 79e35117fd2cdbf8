import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { CallingBoxError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { ApiDeps, ApiEnv } from './env.ts';
import { errorResponse, zodErrorBody } from './errors.ts';
import { authenticate, rateLimit } from './middleware/auth.ts';
import { idempotency } from './middleware/idempotency.ts';
import { jsonBody } from './middleware/json-body.ts';
import { responses, route } from './openapi-route.ts';
import { registerAccountRoutes } from './routes/account.ts';
import { registerAgentRoutes } from './routes/agents.ts';
import { registerCallExtractRoute } from './routes/call-extract.ts';
import { registerCallRoutes } from './routes/calls.ts';
import { registerNumberRoutes } from './routes/numbers.ts';
import { registerWebhookRoutes } from './routes/webhooks.ts';
import { registerEventStream } from './routes/events.ts';
import { registerVoiceRoutes } from './routes/voices.ts';
import { Health } from './schemas/misc.ts';

// api.md → Errors: "413 payload_too_large: body over 1 MiB".
const MAX_BODY_BYTES = 1024 * 1024;
const PUBLIC_PATHS = new Set(['/v1/health', '/v1/openapi.json']);

/** The HTTP API: every route of api.md, validated by the same zod schemas that make `/v1/openapi.json`. */
export function createApi(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return c.json(zodErrorBody(result.error, result.target as 'body'), 400);
    },
  });
  const log = (msg: string, err: unknown): void => deps.log.error({ err }, msg);

  app.onError((err, c) => errorResponse(c, err, log));
  app.notFound((c) => c.json({ error: `No route ${c.req.method} ${new URL(c.req.url).pathname}; see /v1/openapi.json.`, code: 'not_found' }, 404));

  // Every answer names its request, so a user's report can be matched to the logs.
  app.use('*', async (c, next) => {
    c.header('CallingBox-Request-Id', newId('req'));
    await next();
  });
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json({ error: 'Request body is larger than 1 MiB.', code: 'payload_too_large' }, 413),
  });
  // GET and HEAD have no body; asking (`c.req.raw.body`) would build a full fetch Request with an
  // AbortController on every read request under @hono/node-server, for nothing.
  app.use('/v1/*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limit(c, next)));
  app.use('/v1/*', jsonBody);
  for (const mw of [authenticate(deps.store), rateLimit({ ...deps.config.rateLimit, clock: deps.clock }), idempotency(deps.store)]) {
    app.use('/v1/*', (c, next) => (PUBLIC_PATHS.has(c.req.path) ? next() : mw(c, next)));
  }

  registerAgentRoutes(app, deps);
  registerNumberRoutes(app, deps);
  registerCallRoutes(app, deps);
  registerCallExtractRoute(app, deps);
  registerAccountRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  registerEventStream(app, deps);
  registerVoiceRoutes(app, deps);

  app.openapi(route({ method: 'get', path: '/v1/health', tags: ['Health'], summary: 'Liveness and components (no key needed)', security: [], request: {  }, responses: responses(Health) }), async (c) => {
    const dbOk = await deps.pingDatabase();
    const ports = deps.ports();
    const none = (what: string) => ({ status: 'unavailable', detail: `no voice runtime in this process (${what})` });
    const voice = deps.voice ? await deps.voice.health() : { vad: none('vad'), stt: none('stt'), llm: none('llm'), tts: none('tts') };
    const components = {
      database: { status: dbOk ? 'ok' : 'down' },
      sip: ports.sip === null ? { status: 'unavailable', detail: 'SIP user agent not running in this process' } : { status: 'ok' },
      ...voice,
    };
    // `degraded` names what is missing (each component's detail says what the platform falls back to).
    const status: 'ok' | 'degraded' | 'down' = !dbOk ? 'down' : Object.values(components).every((x) => x.status === 'ok') ? 'ok' : 'degraded';
    const body = {
      status,
      version: deps.version,
      uptime_s: Math.round((deps.clock.now() - deps.startedAtMs) / 1000),
      ports: { http: ports.http, sip: ports.sip, rtp_min: deps.config.rtpPorts.min, rtp_max: deps.config.rtpPorts.max },
      components,
    };
    return c.json(body, dbOk ? 200 : (503 as 200));
  });

  app.doc31('/v1/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'CallingBox API', version: '2026-04', description: 'Self-hosted AI phone agents. See the spec in shared/spec/api.md.' },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', description: 'sk_live_… API key' });
  return app;
}

export { CallingBoxError };
