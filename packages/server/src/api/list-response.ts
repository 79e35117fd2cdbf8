import type { Context } from 'hono';
import type { Page } from '../store/pagination.ts';

/** Sets `Link` and `CallingBox-Next-Cursor` for the next page (api.md → Pagination). */
export function setNextPageHeaders(c: Context, nextCursor: string | null): void {
  if (!nextCursor) return;
  const url = new URL(c.req.url);
  url.searchParams.set('cursor', nextCursor);
  c.header('Link', `<${url.pathname}${url.search}>; rel="next"`);
  c.header('CallingBox-Next-Cursor', nextCursor);
}

/** A `{data, has_more, next_cursor}` list with the same headers. */
export function dataList<T, V>(c: Context, page: Page<T>, view: (t: T) => V) {
  setNextPageHeaders(c, page.nextCursor);
  return { data: page.items.map(view), has_more: page.nextCursor !== null, next_cursor: page.nextCursor };
}
