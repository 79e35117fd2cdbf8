import { createHash } from 'node:crypto';
import { sql, type SelectQueryBuilder } from 'kysely';
import { ValidationError } from '../core/errors.ts';

/** A position in a `created_at desc, id desc` ordering. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
  /** The filters the cursor is bound to; a cursor used with other filters is a 400. */
  filters: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

function filterHash(filters: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.keys(filters).sort().map((k) => [k, filters[k] ?? null]));
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
}

/** Opaque cursor: the last row's position plus a hash of the filters it was issued with. */
export function encodeCursor(pos: KeysetPosition, filters: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify([pos.createdAt.toISOString(), pos.id, filterHash(filters)])).toString('base64url');
}

/** Decodes a cursor or throws a 400 naming `cursor`. */
export function decodeCursor(cursor: string, filters: Record<string, unknown>): KeysetPosition {
  const bad = (why: string): ValidationError => new ValidationError(`Invalid cursor: ${why}. Use the cursor from the previous page's Link or CallingBox-Next-Cursor header with the same filters.`, 'cursor');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad('malformed');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((p) => typeof p === 'string')) throw bad('malformed');
  const [iso, id, hash] = parsed as [string, string, string];
  const createdAt = new Date(iso);
  if (Number.isNaN(createdAt.getTime()) || id.length === 0 || id.length > 64) throw bad('malformed');
  if (hash !== filterHash(filters)) throw bad('it was issued for other filters');
  return { createdAt, id };
}

/** Splits `limit + 1` fetched rows into a page and the cursor of the next one. */
export function toPage<T extends { created_at: Date; id: string }>(rows: T[], req: PageRequest): Page<T> {
  const hasMore = rows.length > req.limit;
  const items = hasMore ? rows.slice(0, req.limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last ? encodeCursor({ createdAt: last.created_at, id: last.id }, req.filters) : null };
}

/**
 * The keyset part of a single-table list query: after the cursor's position, newest first
 * (`created_at desc, id desc`), one row more than the limit to know whether another page follows.
 */
export function keysetQuery<DB, TB extends keyof DB, O>(q: SelectQueryBuilder<DB, TB, O>, page: PageRequest): SelectQueryBuilder<DB, TB, O> {
  if (page.cursor) {
    const pos = decodeCursor(page.cursor, page.filters);
    q = q.where(sql<boolean>`(created_at, id) < (${pos.createdAt}, ${pos.id})`);
  }
  return q.orderBy(sql`created_at desc, id desc`).limit(page.limit + 1);
}

/** Runs a single-table list query as one keyset page (see `keysetQuery`). */
export async function keysetPage<DB, TB extends keyof DB, O extends { created_at: Date; id: string }>(q: SelectQueryBuilder<DB, TB, O>, page: PageRequest): Promise<Page<O>> {
  return toPage(await keysetQuery(q, page).execute(), page);
}
