import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import type { Database } from './schema.ts';
import { installTimestamptzParser } from './timestamptz.ts';

/** An open database plus what it takes to close it. */
export interface OpenDatabase {
  db: Kysely<Database>;
  engine: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/** Another process holds the embedded data directory. */
export class DataDirLockedError extends Error {
  constructor(dir: string) {
    super(
      `Another CallingBox process is using the data directory ${dir}. ` +
        'Stop it first, or give this one its own CALLINGBOX_DATA_DIR; to run several processes on one database, set DATABASE_URL=postgres://…',
    );
  }
}

export interface OpenOptions {
  /** `postgres://…`; absent ⇒ embedded PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize?: number;
  /** Called before a slow first-time creation of the embedded database. */
  onCreating?: () => void;
}

/** Opens PostgreSQL or the embedded PGlite, both through one `pg` driver and Kysely's stock dialect. */
export async function openDatabase(opts: OpenOptions): Promise<OpenDatabase> {
  installTimestamptzParser();
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    pool.on('error', () => {}); // idle-client errors surface on the next query instead of crashing
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  return openEmbedded(opts);
}

async function openEmbedded(opts: OpenOptions): Promise<OpenDatabase> {
  const dbDir = path.join(opts.dataDir, 'db');
  fs.mkdirSync(opts.dataDir, { recursive: true });
  // PGlite takes no lock of its own: two processes on one directory silently lose data
  // (../shared/notes/data-stack.md §1c), so refuse a second process before opening.
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(opts.dataDir, {
      lockfilePath: path.join(opts.dataDir, 'lock'),
      stale: 5000,
      update: 1000,
      retries: 0,
      realpath: false,
      onCompromised: (err) => {
        process.stderr.write(`callingbox: lost the lock on ${opts.dataDir}: ${err.message}; exiting to protect the database\n`);
        process.exit(1);
      },
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'ELOCKED') throw new DataDirLockedError(opts.dataDir);
    throw e;
  }
  try {
    if (!fs.existsSync(path.join(dbDir, 'PG_VERSION'))) opts.onCreating?.();
    const { PGlite } = await import('@electric-sql/pglite');
    const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
    const pglite = await PGlite.create(dbDir);
    // poolSize stays 1: two pg clients on the single PGlite backend crash it (data-stack.md §2a).
    const pool = new pg.Pool(createPgConfig(pglite) as pg.PoolConfig);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      engine: 'pglite',
      close: async () => {
        await db.destroy();
        await pglite.close();
        await release();
      },
    };
  } catch (e) {
    await release();
    throw e;
  }
}
