/**
 * Experiment server for `npm run bench:api -- --experiments`: the real API app (`createApi`, every
 * middleware: request id, body limit, auth, rate limit, idempotency) plus bench-only routes that
 * answer the same status list another way, so both can be loaded in one run and compared:
 *
 *   GET /v1/bench/calls-json?status=completed   the page built as JSON by the database
 *                                               (bench/list-as-json.ts); Node passes one text value
 *   GET /v1/bench/calls-cached-auth?status=…    the product list, but the API key is looked up in
 *                                               the database at most once per 10 s (a cache in
 *                                               front of the auth middleware's query)
 *   GET /v1/bench/calls-plain?status=…          the product list through the same path rewrite as
 *                                               calls-cached-auth, without the cache (its control)
 *
 * Not product code: nothing here changes packages/. No SIP, no background workers; the process
 * prints "Listening on <url>" like the CLI and runs until SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { CompiledQuery, sql } from 'kysely';
import { createApi } from '../packages/server/src/api/app.ts';
import { loadConfig } from '../packages/server/src/config/config.ts';
import { systemClock } from '../packages/server/src/core/clock.ts';
import { createLogger } from '../packages/server/src/core/logger.ts';
import { openDatabase } from '../packages/server/src/store/open-database.ts';
import { Store } from '../packages/server/src/store/store.ts';
import { VERSION } from '../packages/server/src/version.ts';
import { LIST_AS_JSON_SQL } from './list-as-json.ts';

const AUTH_CACHE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  const log = createLogger(config.logLevel);
  const store = new Store(database.db, systemClock);
  // The cached-auth variant: the same Store, whose apiKeys.authenticate answers from memory for
  // AUTH_CACHE_MS after a database lookup. Only requests under /v1/bench/calls-cached-auth use it.
  const cachedStore = new Store(database.db, systemClock);
  const realAuth = cachedStore.apiKeys.authenticate.bind(cachedStore.apiKeys);
  const cache = new Map<string, { at: number; value: Awaited<ReturnType<typeof realAuth>> }>();
  cachedStore.apiKeys.authenticate = async (secret: string) => {
    const hit = cache.get(secret);
    if (hit && performance.now() - hit.at < AUTH_CACHE_MS) return hit.value;
    const value = await realAuth(secret);
    cache.set(secret, { at: performance.now(), value });
    return value;
  };
  let port: number | null = null;
  const deps = {
    config, clock: systemClock, version: VERSION, startedAtMs: Date.now(), log,
    ports: () => ({ http: port, sip: null }),
    pingDatabase: async () => (await sql`select 1`.execute(database.db), true),
  };
  const api = createApi({ ...deps, store });
  api.get('/v1/bench/calls-json', async (c) => {
    const status = c.req.query('status') ?? 'completed';
    const r = await database.db.executeQuery<{ body: string }>(CompiledQuery.raw(LIST_AS_JSON_SQL, [c.get('orgId'), status]));
    return c.body(r.rows[0]!.body, 200, { 'content-type': 'application/json' });
  });
  const cachedApi = createApi({ ...deps, store: cachedStore });
  const fetch = (req: Request): Response | Promise<Response> => {
    const url = new URL(req.url);
    const target = url.pathname === '/v1/bench/calls-cached-auth' ? cachedApi : url.pathname === '/v1/bench/calls-plain' ? api : null;
    if (!target) return api.fetch(req);
    url.pathname = '/v1/calls';
    return target.fetch(new Request(url, req));
  };
  const server = serve({ fetch, port: config.port, hostname: config.host }, (info: AddressInfo) => {
    port = info.port;
    process.stdout.write(`Listening on http://localhost:${info.port}\n`);
  });
  await new Promise<void>((resolve) => process.once('SIGTERM', resolve));
  await new Promise<void>((r) => server.close(() => r()));
  await database.close();
}

await main();
