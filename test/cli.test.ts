import { spawnSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '@callingbox/testkit';
import { CLI } from '../packages/testkit/src/server-process.ts';
import { adminQuery, pgUrl } from '../packages/testkit/src/databases.ts';

const running: ServerProcess[] = [];
afterAll(async () => {
  for (const s of running) await s.stop({ kill: true });
});

async function api(s: { baseUrl: string }, key: string, method: string, p: string, body?: unknown) {
  const res = await fetch(`${s.baseUrl}${p}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as any };
}

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
}

describe('npm start on an empty data directory', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-first-'));
  let server: ServerProcess;

  it('says what it does, prints the key once, writes credentials.json 0600, and seeds the demo agent and number', async () => {
    const env = { CALLINGBOX_DATA_DIR: dataDir };
    server = await startServerProcess({ dataDir, env: { ...env, DATABASE_URL: '' }, timeoutMs: 90_000 });
    running.push(server);
    const out = server.stdout();
    expect(out).toMatch(/Creating the embedded database/);
    expect(out).toMatch(/API key \(shown once\): sk_live_\S+/);
    expect(out).toContain(server.apiKey);
    expect(out).toMatch(/Demo number \+1\d{10} answers with the inbound agent "Front desk"/);
    const credsFile = path.join(dataDir, 'credentials.json');
    expect(fs.statSync(credsFile).mode & 0o777).toBe(0o600);
    const creds = JSON.parse(fs.readFileSync(credsFile, 'utf8'));
    expect(Object.keys(creds).sort()).toEqual(['api_key', 'base_url', 'created_at', 'org_id']);
    expect(creds.base_url).toBe(server.baseUrl.replace('127.0.0.1', 'localhost'));
    const agents = (await api(server, server.apiKey, 'GET', '/v1/agents')).body.data;
    expect(agents).toHaveLength(1);
    expect(agents[0]).toMatchObject({ name: 'Front desk', type: 'inbound', returns: { caller_name: 'string', reason: 'string', callback_number: 'phone' } });
    expect(agents[0].numbers).toHaveLength(1);
    expect(agents[0].primary_number_id).toBe(agents[0].numbers[0].id);
  }, 120_000);

  it('refuses a second process on the same data directory at once, with a clear message', async () => {
    const t0 = Date.now();
    const r = cli(['start'], { CALLINGBOX_DATA_DIR: dataDir, PORT: '0', DATABASE_URL: '' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Another CallingBox process is using the data directory/);
    expect(r.stderr).not.toMatch(/    at /);
    expect(Date.now() - t0).toBeLessThan(15_000);
  }, 30_000);

  it('org create works while the server holds the embedded database, and the new key works', async () => {
    const r = cli(['org', 'create', '--name', 'Acme'], { CALLINGBOX_DATA_DIR: dataDir, DATABASE_URL: '' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const key = /API key \(shown once\): (sk_live_\S+)/.exec(r.stdout)![1]!;
    const mine = await api(server, key, 'GET', '/v1/agents');
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual([]);
    const list = cli(['org', 'list'], { CALLINGBOX_DATA_DIR: dataDir, DATABASE_URL: '' });
    expect(list.stdout).toMatch(/Default/);
    expect(list.stdout).toMatch(/Acme/);
  }, 60_000);

  it('keeps its data across a restart and does not bootstrap twice', async () => {
    await server.stop();
    const again = await startServerProcess({ dataDir, env: { DATABASE_URL: '' } });
    running.push(again);
    expect(again.stdout()).not.toMatch(/First start/);
    expect(again.apiKey).toBe(server.apiKey);
    const agents = (await api(again, again.apiKey, 'GET', '/v1/agents')).body.data;
    expect(agents.map((a: { name: string }) => a.name)).toEqual(['Front desk']);
    await again.stop();
  }, 90_000);

  it('rejects bad configuration with the variable name', () => {
    const r = cli(['start'], { CALLINGBOX_DATA_DIR: dataDir, PORT: 'eighty' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Invalid environment variable PORT/);
  });
});

describe('PostgreSQL: two processes migrating and bootstrapping one empty database at once', () => {
  it('both start, the schema is migrated once, and exactly one organisation is created', async () => {
    const name = `cb_race_${randomBytes(4).toString('hex')}`;
    await adminQuery(`create database ${name}`);
    try {
      const url = pgUrl(name);
      const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'cb-race-')));
      const servers = await Promise.all(dirs.map((d) => startServerProcess({ dataDir: d, databaseUrl: url })));
      running.push(...servers);
      const firsts = servers.filter((s) => /First start/.test(s.stdout()));
      expect(firsts).toHaveLength(1);
      const key = firsts[0]!.apiKey;
      for (const s of servers) expect((await api(s, key, 'GET', '/v1/agents')).body.data).toHaveLength(1);
      for (const s of servers) await s.stop();
    } finally {
      await adminQuery(`drop database if exists ${name} with (force)`);
    }
  }, 120_000);
});
