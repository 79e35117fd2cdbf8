import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** Which engine the suite runs on: `CALLINGBOX_TEST_DB=postgres` (CI's second pass) or PGlite. */
export const TEST_ENGINE: 'pglite' | 'postgres' = process.env.CALLINGBOX_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
/** The PostgreSQL server the postgres pass uses (trust auth on loopback). */
export const TEST_PG_ADMIN_URL = process.env.CALLINGBOX_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function pgUrl(database: string): string {
  const u = new URL(TEST_PG_ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(sqlText: string): Promise<void> {
  const c = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await c.connect();
  try {
    await c.query(sqlText);
  } finally {
    await c.end();
  }
}

/** A fresh database for one test file, copied from the migrated template (no initdb per test). */
export interface TestDatabase {
  dataDir: string;
  databaseUrl: string | undefined;
  drop(): Promise<void>;
}

export async function freshDatabase(template: string): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-test-'));
  if (TEST_ENGINE === 'pglite') {
    fs.cpSync(template, path.join(dataDir, 'db'), { recursive: true });
    return { dataDir, databaseUrl: undefined, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `cb_t_${randomBytes(6).toString('hex')}`;
  // CREATE DATABASE … TEMPLATE needs the template to have no other session; retry briefly when a
  // parallel worker is copying it at the same moment.
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(`create database ${name} template ${template}`);
      break;
    } catch (e) {
      if (attempt > 20 || !/being accessed by other users/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  return {
    dataDir,
    databaseUrl: pgUrl(name),
    drop: async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await adminQuery(`drop database if exists ${name} with (force)`).catch(() => {});
    },
  };
}
