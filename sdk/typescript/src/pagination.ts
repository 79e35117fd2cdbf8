/**
 * Cursor pagination (api.md → Pagination). Calls and numbers answer a bare array and announce
 * the next page in the `CallingBox-Next-Cursor` header; other lists answer
 * `{data, has_more, next_cursor}`. Both become a {@link Page}.
 */

/** Header naming the cursor of the next page. */
export const NEXT_CURSOR_HEADER = 'CallingBox-Next-Cursor';

/** Loads the page that starts at `cursor` (undefined: the first page). */
export type PageLoader<T> = (cursor: string | undefined) => Promise<Page<T>>;

/**
 * One page of a list. Iterating it with `for await` yields its items and then those of every
 * following page, each fetched only when the previous one has been consumed.
 *
 * @example
 * const page = await client.agents.list({ type: 'inbound' });
 * console.log(page.data.length, page.has_more);
 * for await (const agent of page) console.log(agent.id); // this page, then the rest
 */
export class Page<T> implements AsyncIterable<T> {
  /** The items of this page, newest first. */
  readonly data: T[];
  /** Cursor of the next page, or null on the last page. */
  readonly next_cursor: string | null;
  /** Whether a next page exists. */
  readonly has_more: boolean;
  /** The HTTP response this page came from. */
  readonly response: Response | undefined;

  constructor(
    private readonly load: PageLoader<T>,
    data: T[],
    nextCursor: string | null,
    response?: Response,
  ) {
    this.data = data;
    this.next_cursor = nextCursor;
    this.has_more = nextCursor !== null;
    this.response = response;
  }

  /** True when {@link getNextPage} has a page to fetch. */
  hasNextPage(): boolean {
    return this.next_cursor !== null;
  }

  /**
   * Fetches the next page with the same filters and limit.
   * @throws Error when this is the last page.
   */
  async getNextPage(): Promise<Page<T>> {
    if (this.next_cursor === null) throw new Error('No next page: check hasNextPage() first.');
    return this.load(this.next_cursor);
  }

  /** Yields this page and each following one, fetching lazily. */
  async *iterPages(): AsyncGenerator<Page<T>, void, undefined> {
    let page: Page<T> = this;
    const seen = new Set<string>();
    for (;;) {
      yield page;
      const cursor = page.next_cursor;
      // A cursor that comes back twice would loop for ever; a correct server never sends one.
      if (cursor === null || seen.has(cursor)) return;
      seen.add(cursor);
      page = await page.getNextPage();
    }
  }

  /** Yields every item of this page and of all following pages. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.iterPages()) yield* page.data;
  }
}

/**
 * What a `list()` method returns: await it for the first {@link Page}, or iterate it with
 * `for await` over every item of every page. Nothing is fetched until one of the two happens.
 *
 * @example
 * for await (const call of client.calls.list({ direction: 'inbound' })) console.log(call.id);
 */
export class PagePromise<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  private first: Promise<Page<T>> | undefined;

  constructor(private readonly loadFirst: () => Promise<Page<T>>) {}

  private start(): Promise<Page<T>> {
    this.first ??= this.loadFirst();
    return this.first;
  }

  then<R1 = Page<T>, R2 = never>(
    onfulfilled?: ((value: Page<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.start().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<Page<T> | R> {
    return this.start().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<Page<T>> {
    return this.start().finally(onfinally);
  }

  /** Every item of every page. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    yield* await this.start();
  }

  /** Every page, starting with the first. */
  async *iterPages(): AsyncGenerator<Page<T>, void, undefined> {
    yield* (await this.start()).iterPages();
  }

  /** Collects every item of every page into one array (mind the size of the list). */
  async toArray(): Promise<T[]> {
    const items: T[] = [];
    for await (const item of this) items.push(item);
    return items;
  }

  readonly [Symbol.toStringTag] = 'PagePromise';
}

/** Reads the next cursor of a response: the header first, then `next_cursor` of a `{data}` body. */
export function nextCursorOf(response: Response, body: unknown): string | null {
  const header = response.headers.get(NEXT_CURSOR_HEADER);
  if (header !== null && header !== '') return header;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const { next_cursor: cursor, has_more: hasMore } = body as { next_cursor?: unknown; has_more?: unknown };
    if (hasMore !== false && typeof cursor === 'string' && cursor !== '') return cursor;
  }
  return null;
}

/** The items of a list body: the array itself, or its `data`. */
export function itemsOf<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  const data = (body as { data?: unknown } | null | undefined)?.data;
  return Array.isArray(data) ? (data as T[]) : [];
}
