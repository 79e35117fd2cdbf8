import { sql, type RawBuilder } from 'kysely';

/** A value bound as jsonb, so both engines store the same JSON through the `pg` driver. */
export function jsonb<T>(value: T): RawBuilder<T> {
  return sql<T>`${JSON.stringify(value)}::jsonb`;
}
