import type { ApiRequest, QueryValue, RequestOptions, Transport } from '../internal/transport.js';
import { itemsOf, nextCursorOf, Page, PagePromise } from '../pagination.js';

/** Escapes one path segment (an id). */
export function seg(id: string): string {
  if (typeof id !== 'string' || id === '') throw new TypeError(`Expected a non-empty id string, got ${JSON.stringify(id)}`);
  return encodeURIComponent(id);
}

/** Query parameters of a list or filter call. */
export type Query = Record<string, QueryValue>;

/** Base of every resource: typed shortcuts over the transport. */
export abstract class APIResource {
  constructor(protected readonly transport: Transport) {}

  protected async call<T>(method: ApiRequest['method'], path: string, init: { query?: object | undefined; body?: unknown; options?: RequestOptions | undefined } = {}): Promise<T> {
    const { data } = await this.transport.request<T>({ method, path, query: init.query as Query | undefined, body: init.body, options: init.options });
    return data;
  }

  /** A lazily fetched, cursor-paginated list; `query` is kept for every page. */
  protected paginate<T>(path: string, query: object | undefined, options: RequestOptions | undefined): PagePromise<T> {
    const load = async (cursor: string | undefined): Promise<Page<T>> => {
      const pageQuery: Query = { ...(query as Query | undefined) };
      if (cursor !== undefined) pageQuery.cursor = cursor;
      const { data, response } = await this.transport.request<unknown>({ method: 'GET', path, query: pageQuery, options });
      return new Page<T>(load, itemsOf<T>(data), nextCursorOf(response, data), response);
    };
    return new PagePromise<T>(() => load((query as { cursor?: string } | undefined)?.cursor));
  }
}
