import { sql, type Kysely } from 'kysely';

/**
 * `returns` keeps the order its author wrote: the intake dialogue asks the fields in that order,
 * and `jsonb` sorts object keys (shortest first). The columns that carry `returns` — the agent's,
 * its versions' configuration, and the call's snapshot — become `json`, which stores the text as
 * given. Rows written before this keep jsonb's order (it is already lost).
 */
const STATEMENTS = [
  `alter table agents alter column returns type json using returns::json`,
  `alter table agent_versions alter column config type json using config::json`,
  `alter table calls alter column snapshot drop default`,
  `alter table calls alter column snapshot type json using snapshot::json`,
  `alter table calls alter column snapshot set default '{}'::json`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of STATEMENTS) await sql.raw(s).execute(db);
}
