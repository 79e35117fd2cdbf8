import { sql, type RawBuilder } from 'kysely';

/** A value bound as jsonb, so both engines store the same JSON through the `pg` driver. */
export function jsonb<T>(value: T): RawBuilder<T> {
  return sql<T>`${JSON.stringify(value)}::jsonb`;
}

/**
 * A value bound as `json` (text kept as written): for the columns whose key order matters —
 * `returns`, and the configurations and snapshots that carry it (migration 0002).
 */
export function orderedJson<T>(value: T): RawBuilder<T> {
  return sql<T>`${JSON.stringify(value)}::json`;
}
