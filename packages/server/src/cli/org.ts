import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.ts';
import { readOperatorToken, createOrgWithKey } from '../operator.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { DataDirLockedError, openDatabase } from '../store/open-database.ts';
import { Store } from '../store/store.ts';
import { systemClock } from '../core/clock.ts';

type OrgValues = { name?: string | undefined; json?: boolean | undefined };

/** The running local server's base URL and operator token, if one is up. */
function runningServer(dataDir: string): { baseUrl: string; token: string } | null {
  const token = readOperatorToken(dataDir);
  if (!token) return null;
  try {
    const creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8')) as { base_url?: string };
    return creds.base_url ? { baseUrl: creds.base_url, token } : null;
  } catch {
    return null;
  }
}

/** `callingbox org create|list`: through the running server when it holds the embedded database, else directly. */
export async function runOrgCommand(config: Config, sub: string | undefined, values: OrgValues): Promise<number> {
  if (sub !== 'create' && sub !== 'list') {
    process.stderr.write("callingbox org: use 'org create --name <name>' or 'org list'\n");
    return 2;
  }
  if (sub === 'create' && !values.name) {
    process.stderr.write('callingbox org create: --name is required\n');
    return 2;
  }
  const result = await viaDatabase(config, sub, values).catch(async (e) => {
    if (!(e instanceof DataDirLockedError)) throw e;
    const server = runningServer(config.dataDir);
    if (!server) throw e;
    return viaServer(server, sub, values);
  });
  if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
  else if (sub === 'create') {
    const org = result as { id: string; name: string; api_key: string };
    process.stdout.write(`Created organisation ${org.id} (${org.name}).\nAPI key (shown once): ${org.api_key}\n`);
  } else {
    for (const o of (result as { data: Array<{ id: string; name: string; created_at: string }> }).data) process.stdout.write(`${o.id}  ${o.created_at}  ${o.name}\n`);
  }
  return 0;
}

async function viaDatabase(config: Config, sub: 'create' | 'list', values: OrgValues): Promise<unknown> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrateToLatest(database.db as never);
    const store = new Store(database.db, systemClock);
    if (sub === 'create') return await createOrgWithKey(store, values.name!);
    return { data: (await store.orgs.list()).map((o) => ({ id: o.id, name: o.name, created_at: o.created_at.toISOString() })) };
  } finally {
    await database.close();
  }
}

async function viaServer(server: { baseUrl: string; token: string }, sub: 'create' | 'list', values: OrgValues): Promise<unknown> {
  const res = await fetch(`${server.baseUrl}/operator/orgs`, {
    method: sub === 'create' ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    ...(sub === 'create' ? { body: JSON.stringify({ name: values.name }) } : {}),
  });
  if (!res.ok) throw new Error(`The running server refused the request (${res.status}): ${await res.text()}`);
  return res.json();
}
