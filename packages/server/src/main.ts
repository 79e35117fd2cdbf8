import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'kysely';
import { createApi } from './api/app.ts';
import { bootstrapIfEmpty, type FirstStart } from './bootstrap.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { createLogger, type Logger } from './core/logger.ts';
import type { Config } from './config/config.ts';
import { createOperatorApi, writeOperatorToken } from './operator.ts';
import os from 'node:os';
import { startBackgroundWork } from './background.ts';
import { CallLifecycle } from './calls/call-lifecycle.ts';
import { CallResults } from './calls/call-results.ts';
import { CallResultExtractor } from './extraction/result-extractor.ts';
import { AiSdkLlm } from './providers/ai-sdk/ai-sdk-llm.ts';
import { anthropicVendor, openAiCompatibleVendor, openAiVendor } from './providers/ai-sdk/vendors.ts';
import type { LlmProvider } from './providers/llm.ts';
import { startSipService, type SipService } from './calls/sip-service.ts';
import { createVoiceRuntime } from './compose-voice.ts';
import { DeliveryWorker } from './webhooks/delivery-worker.ts';
import { HttpSender } from './webhooks/http-sender.ts';
import { WebhookOutbox } from './webhooks/outbox.ts';
import { migrateToLatest } from './store/migrate.ts';
import { openDatabase, type OpenDatabase } from './store/open-database.ts';
import { Store } from './store/store.ts';
import { VERSION } from './version.ts';

/** A running platform: what `npm start` and the end-to-end tests hold. */
export interface Platform {
  store: Store;
  database: OpenDatabase;
  fetch: (req: Request) => Response | Promise<Response>;
  /** Set when `listen` was asked for. */
  url: string | null;
  port: number | null;
  sipPort: number | null;
  firstStart: FirstStart | null;
  lifecycle: CallLifecycle;
  deliveries: DeliveryWorker;
  /** This process's live calls. */
  live: Set<string>;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  log?: Logger;
  /** Bind the HTTP port (the CLI does; in-process tests call `fetch` directly). */
  listen?: boolean;
  /** Run the SIP user agent (default: with `listen`). */
  sip?: boolean;
  /** Run webhook delivery, heartbeats and crash recovery (default: with `listen`). */
  background?: boolean;
  /** Progress lines for the operator (stdout in the CLI). */
  say?: (line: string) => void;
  /** An already-open database (tests share one template per file). */
  database?: OpenDatabase;
}

/** The composition root: the only place concrete classes are built. */
export async function startPlatform(config: Config, opts: StartOptions = {}): Promise<Platform> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger(config.logLevel);
  const say = opts.say ?? (() => {});
  const startedAtMs = clock.now();
  const database =
    opts.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.databasePoolSize,
      onCreating: () => say(`Creating the embedded database in ${path.relative(process.cwd(), config.dataDir) || '.'}/db (first start only; this takes a few seconds)…`),
    }));
  try {
    await migrateToLatest(database.db as never);
    const store = new Store(database.db, clock);
    let httpPort: number | null = null;
    let sip: SipService | null = null;
    const workerId = `${os.hostname()}:${process.pid}`;
    const live = new Set<string>();
    const sender = new HttpSender({ allowPrivate: config.webhooks.allowPrivate, timeoutMs: config.webhooks.timeoutMs, maxResponseBytes: 64 * 1024, now: () => performance.now() });
    const deliveries = new DeliveryWorker({ store, clock, sender, workerId, retryScheduleS: config.webhooks.retryScheduleS, pollMs: config.webhooks.pollMs, leaseMs: config.webhooks.timeoutMs + 20_000, log });
    const sink = new WebhookOutbox(clock, () => deliveries.wake());
    const extractionModel = extractionLlm(config, log);
    const results = new CallResults({ store, clock, sink, workerId, extractor: new CallResultExtractor({ llm: extractionModel, now: () => clock.now() }) });
    const lifecycle = new CallLifecycle(store, clock, sink, results);
    const voice = createVoiceRuntime({ config, store, clock, log, sender });
    const api = createApi({
      voice,
      store, clock, config, version: VERSION, startedAtMs, log, callResults: results,
      ports: () => ({ http: httpPort, sip: sip?.port ?? null }),
      pingDatabase: async () => {
        try {
          await sql`select 1`.execute(database.db);
          return true;
        } catch {
          return false;
        }
      },
    });
    const operatorToken = opts.listen ? writeOperatorToken(config.dataDir) : null;
    if (operatorToken) api.route('/operator', createOperatorApi(store, operatorToken));
    let server: ServerType | null = null;
    if (opts.listen) {
      server = await new Promise<ServerType>((resolve, reject) => {
        const s = serve({ fetch: api.fetch, port: config.port, hostname: config.host }, () => resolve(s));
        s.once('error', reject);
      });
      httpPort = (server.address() as AddressInfo).port;
    }
    if (opts.sip ?? opts.listen) {
      const status = voice.status();
      say(`Offline speech: ${status.map((c) => `${c.component.toUpperCase()} ${c.ok ? c.running : `MISSING (${c.running === 'none' ? 'none' : `${c.running} instead`})`}`).join(', ')}; dialogue: ${config.defaults.llm === 'local' ? 'local intake' : config.defaults.llm}`);
      for (const c of status.filter((x) => !x.ok)) say(`  ${c.component}: ${c.missing}. Install: ${c.install}. Until then: ${c.fallback}.`);
      voice.warmUp().catch((e: unknown) => log.warn({ err: String(e) }, 'offline speech warm-up failed'));
      sip = await startSipService({ store, clock, config, log, lifecycle, workerId, live, runSession: (call, t, transfers) => voice.runSession(call, t, transfers), prepareSession: (call) => voice.prepare(call) });
    }
    const background = (opts.background ?? opts.listen) ? startBackgroundWork({ store, clock, log, lifecycle, live, deliveries, workerTimeoutMs: config.workerTimeoutMs }) : null;
    const url = httpPort === null ? null : `http://localhost:${httpPort}`;
    const firstStart = await bootstrapIfEmpty(store, { dataDir: config.dataDir, baseUrl: url ?? `http://localhost:${config.port}`, seedDemo: config.seedDemo, timezone: config.defaultTimezone });
    if (!firstStart && url) refreshCredentialsUrl(config.dataDir, url);
    return {
      store, database, fetch: api.fetch, url, port: httpPort, sipPort: sip?.port ?? null, firstStart, lifecycle, deliveries, live,
      close: async () => {
        if (sip) await sip.close();
        // Extractions still running stay pending; recovery finishes them after the next start.
        await results.close();
        await voice.close();
        if (background) await background.close();
        else await deliveries.close();
        await sender.close();
        if (server) await new Promise<void>((r) => server!.close(() => r()));
        if (!opts.database) await database.close();
      },
    };
  } catch (e) {
    if (!opts.database) await database.close();
    throw e;
  }
}

/**
 * The post-call extraction model (`CALLINGBOX_EXTRACTION_LLM`, the dialogue's LLM provider when
 * unset); null for `local`, where results come from the intake dialogue's own fields.
 * `CALLINGBOX_LLM_MODEL` names a model of the dialogue's provider, so it applies only to the same one.
 */
function extractionLlm(config: Config, log: Logger): LlmProvider | null {
  const id = config.defaults.extractionLlm;
  const opts = { model: id === config.defaults.llm ? config.defaults.llmModel : undefined };
  const { openai, anthropic } = config.providers;
  if ((id === 'openai' && !openai.apiKey) || (id === 'anthropic' && !anthropic.apiKey)) {
    log.warn({ provider: id }, `the extraction model is ${id} but its API key is not set: results will fail with provider_auth`);
  }
  if (id === 'openai') return new AiSdkLlm(openAiVendor(openai), opts);
  if (id === 'openai-compatible') return new AiSdkLlm(openAiCompatibleVendor(openai), opts);
  if (id === 'anthropic') return new AiSdkLlm(anthropicVendor(anthropic), opts);
  return null;
}

/** Keeps `base_url` in credentials.json pointing at the port this start actually bound. */
function refreshCredentialsUrl(dataDir: string, url: string): void {
  const file = path.join(dataDir, 'credentials.json');
  try {
    const creds = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (creds.base_url === url) return;
    fs.writeFileSync(file, JSON.stringify({ ...creds, base_url: url }, null, 2) + '\n', { mode: 0o600 });
  } catch {
    // No credentials file (removed by the operator, or a PostgreSQL install bootstrapped elsewhere).
  }
}
