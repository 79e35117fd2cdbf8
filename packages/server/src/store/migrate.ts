import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001-init.ts';
import * as m0002 from './migrations/0002-ordered-json.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-init': m0001,
  '0002-ordered-json': m0002,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Brings the schema to the latest version. Safe to run twice and from two processes at once:
 * Kysely's migrator holds a PostgreSQL advisory lock while it migrates.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
}
