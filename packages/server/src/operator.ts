import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Store } from './store/store.ts';

/**
 * Operator endpoints for `npx callingbox org …` while a server holds the embedded database's lock.
 * Authenticated by a random token in the data directory (mode 0600): whoever can read the data
 * directory is the operator. Not part of the public API.
 */
export function writeOperatorToken(dataDir: string): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(32).toString('hex');
  fs.writeFileSync(path.join(dataDir, 'operator-token'), token, { mode: 0o600 });
  return token;
}

export function readOperatorToken(dataDir: string): string | null {
  try {
    return fs.readFileSync(path.join(dataDir, 'operator-token'), 'utf8').trim();
  } catch {
    return null;
  }
}

const OrgCreate = z.strictObject({ name: z.string().min(1).max(200) });

export function createOperatorApi(store: Store, token: string): Hono {
  const app = new Hono();
  const expected = Buffer.from(`Bearer ${token}`);
  app.use('*', async (c, next) => {
    const got = Buffer.from(c.req.header('authorization') ?? '');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) return c.json({ error: 'operator token required', code: 'unauthorized' }, 401);
    return next();
  });
  app.post('/orgs', async (c) => {
    const parsed = OrgCreate.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: 'name is required', code: 'invalid_request', param: 'name' }, 400);
    return c.json(await createOrgWithKey(store, parsed.data.name), 201);
  });
  app.get('/orgs', async (c) => c.json({ data: (await store.orgs.list()).map((o) => ({ id: o.id, name: o.name, created_at: o.created_at.toISOString() })) }));
  return app;
}

/** Creates an organisation and its first key. */
export async function createOrgWithKey(store: Store, name: string): Promise<{ id: string; name: string; api_key: string; created_at: string }> {
  return store.transaction(async (s) => {
    const org = await s.orgs.create(name);
    const { secret } = await s.apiKeys.create(org.id, 'default', null);
    return { id: org.id, name: org.name, api_key: secret, created_at: org.created_at.toISOString() };
  });
}
