import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, startServerProcess, startWebhookReceiver, type ServerProcess } from '@callingbox/testkit';
import { adminQuery, pgUrl } from '../packages/testkit/src/databases.ts';
import { newId } from '../packages/server/src/core/ids.ts';

/** webhooks.md → Retries / issue 6: two processes on one PostgreSQL never send the same attempt twice. */
const servers: ServerProcess[] = [];
const dbName = `cb_two_${randomBytes(4).toString('hex')}`;
afterAll(async () => {
  for (const s of servers) await s.stop({ kill: true });
  await adminQuery(`drop database if exists ${dbName} with (force)`);
});

describe('two delivery workers on one PostgreSQL', () => {
  it('deliver 300 pending deliveries exactly once between them', async () => {
    await adminQuery(`create database ${dbName}`);
    const url = pgUrl(dbName);
    const rx = await startWebhookReceiver();
    try {
      const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'cb-two-')));
      servers.push(...(await Promise.all(dirs.map((d) => startServerProcess({ dataDir: d, databaseUrl: url, env: { CALLINGBOX_WEBHOOK_POLL_MS: '20' } })))));
      const first = servers.find((s) => s.apiKey)!;
      // Rows as the outbox writes them, committed in one go so both workers race for them.
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const now = new Date();
      const ids: string[] = [];
      const values: string[] = [];
      const params: unknown[] = [];
      for (let i = 0; i < 300; i++) {
        const id = newId('wd');
        ids.push(id);
        params.push(id, first.orgId, rx.url(), JSON.stringify({ id, type: 'call.completed' }), now);
        const b = i * 5;
        values.push(`($${b + 1}, $${b + 2}, 'call.completed', $${b + 3}, $${b + 4}::jsonb, 'pending', $${b + 5}, $${b + 5}, $${b + 5})`);
      }
      await c.query(`insert into webhook_deliveries (id, org_id, event_type, url, payload, status, next_attempt_at, created_at, updated_at) values ${values.join(',')}`, params);
      await eventually(async () => {
        const r = await c.query(`select count(*)::int as n from webhook_deliveries where status = 'delivered'`);
        return r.rows[0].n === 300;
      }, 'all delivered', 30_000);
      const byId = new Map<string, number>();
      for (const r of rx.received) byId.set(r.headers['callingbox-event-id'] as string, (byId.get(r.headers['callingbox-event-id'] as string) ?? 0) + 1);
      expect(byId.size).toBe(300);
      expect([...byId.values()].every((n) => n === 1)).toBe(true);
      const attempts = await c.query(`select delivery_id, count(*)::int as n from webhook_attempts group by delivery_id having count(*) > 1`);
      expect(attempts.rows).toEqual([]);
      await c.end();
    } finally {
      await rx.close();
    }
  }, 120_000);
});
