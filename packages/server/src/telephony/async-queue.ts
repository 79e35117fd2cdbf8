/**
 * A single-consumer queue that is an `AsyncIterable`: producers `push()`, the consumer iterates;
 * `close()` ends the iteration after the queued items are delivered. Used for `fromCaller` and
 * `events` of a media session. With `maxItems`, a consumer that stops reading loses the oldest
 * items instead of growing memory for the rest of the call.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiter: ((r: IteratorResult<T>) => void) | undefined;
  private closed = false;
  /** Items dropped because the consumer fell more than `maxItems` behind. */
  dropped = 0;

  constructor(private readonly maxItems = Number.POSITIVE_INFINITY) {}

  /** Adds an item; ignored after `close()`. */
  push(item: T): void {
    if (this.closed) return;
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w({ value: item, done: false });
    } else {
      this.items.push(item);
      if (this.items.length > this.maxItems) {
        this.items.shift();
        this.dropped++;
      }
    }
  }

  /** Ends the iteration once the items already queued are consumed. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const w = this.waiter;
    this.waiter = undefined;
    w?.({ value: undefined, done: true });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Items waiting to be consumed. */
  get size(): number {
    return this.items.length;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiter = resolve));
      },
      return: () => {
        this.close();
        this.items.length = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
