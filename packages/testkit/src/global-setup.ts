import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../server/src/store/migrate.ts';
import { openDatabase } from '../../server/src/store/open-database.ts';
import { adminQuery, pgUrl, TEST_ENGINE } from './databases.ts';

/**
 * Builds one migrated database template per run: a PGlite directory copied per test file, or a
 * PostgreSQL template database (`CREATE DATABASE … TEMPLATE`). initdb runs once, not per test.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (TEST_ENGINE === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-template-'));
    const database = await openDatabase({ dataDir: dir });
    await migrateToLatest(database.db as never);
    await database.close();
    project.provide('dbTemplate', path.join(dir, 'db'));
    return async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const name = `cb_tpl_${process.pid}`;
  await adminQuery(`drop database if exists ${name} with (force)`);
  await adminQuery(`create database ${name}`);
  const database = await openDatabase({ dataDir: os.tmpdir(), databaseUrl: pgUrl(name) });
  await migrateToLatest(database.db as never);
  await database.close();
  project.provide('dbTemplate', name);
  return async () => {
    await adminQuery(`drop database if exists ${name} with (force)`);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplate: string;
  }
}
