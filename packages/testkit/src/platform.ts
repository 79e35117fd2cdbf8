import { inject } from 'vitest';
import { loadConfig } from '../../server/src/config/config.ts';
import type { Clock } from '../../server/src/core/clock.ts';
import { startPlatform, type Platform } from '../../server/src/main.ts';
import { createOrgWithKey } from '../../server/src/operator.ts';
import { freshDatabase } from './databases.ts';
import pino from 'pino';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** An in-process platform on its own database copied from the run's template. */
export interface TestPlatform {
  platform: Platform;
  apiKey: string;
  orgId: string;
  dataDir: string;
  /** A request as the first organisation (or with `key`). */
  api<T = any>(method: string, path: string, body?: unknown, opts?: { key?: string | null; headers?: Record<string, string>; raw?: string }): Promise<ApiResponse<T>>;
  /** A second organisation with its own key. */
  newOrg(name?: string): Promise<{ orgId: string; apiKey: string }>;
  close(): Promise<void>;
}

export async function createTestPlatform(opts: { clock?: Clock; env?: Record<string, string>; seedDemo?: boolean; sip?: boolean; background?: boolean } = {}): Promise<TestPlatform> {
  const db = await freshDatabase(inject('dbTemplate'));
  const config = loadConfig({
    CALLINGBOX_DATA_DIR: db.dataDir,
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl, DATABASE_POOL_SIZE: '4' } : {}),
    CALLINGBOX_DEMO: opts.seedDemo ? 'true' : 'false',
    CALLINGBOX_LOG_LEVEL: 'silent',
    // Tests fire many requests with one key; the limiter has its own test.
    CALLINGBOX_RATE_LIMIT_PER_SECOND: '100000',
    CALLINGBOX_RATE_LIMIT_BURST: '100000',
    CALLINGBOX_SIP_PORT: '0',
    CALLINGBOX_SIP_HOST: '127.0.0.1',
    CALLINGBOX_RTP_PORTS: '0-0',
    ...opts.env,
  });
  const platform = await startPlatform(config, { ...(opts.clock ? { clock: opts.clock } : {}), sip: opts.sip ?? false, background: opts.background ?? false, log: pino({ level: 'silent' }) });
  const first = platform.firstStart!;
  const api: TestPlatform['api'] = async (method, path, body, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    const key = o.key === undefined ? first.apiKey : o.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let payload: string | undefined = o.raw;
    if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    const res = await platform.fetch(new Request(`http://localhost${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) }));
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text so the assertion shows it
    }
    return { status: res.status, body: parsed as never, headers: res.headers };
  };
  return {
    platform,
    apiKey: first.apiKey,
    orgId: first.orgId,
    dataDir: db.dataDir,
    api,
    newOrg: async (name = 'Second org') => {
      const org = await createOrgWithKey(platform.store, name);
      return { orgId: org.id, apiKey: org.api_key };
    },
    close: async () => {
      await platform.close();
      await db.drop();
    },
  };
}
