/**
 * A single-consumer async queue that can also fail: socket callbacks `push()` events, the adapter's
 * generator iterates them. `end()` finishes after what is queued; `fail(e)` throws `e` to the
 * consumer after what is queued, so results that arrived before a disconnect are not lost.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private state: 'open' | 'ended' | 'failed' = 'open';
  private error: unknown;

  /** Queues an item; ignored once the channel has ended or failed. */
  push(item: T): void {
    if (this.state !== 'open') return;
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w.resolve({ value: item, done: false });
    } else this.items.push(item);
  }

  /** Ends the iteration after the queued items. Idempotent; the first of `end`/`fail` wins. */
  end(): void {
    if (this.state !== 'open') return;
    this.state = 'ended';
    this.wake();
  }

  /** Throws `error` to the consumer after the queued items. The first of `end`/`fail` wins. */
  fail(error: unknown): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.error = error;
    this.wake();
  }

  /** True once `end()` or `fail()` was called. */
  get closed(): boolean {
    return this.state !== 'open';
  }

  private wake(): void {
    const w = this.waiter;
    if (!w || this.items.length > 0) return;
    this.waiter = undefined;
    if (this.state === 'failed') w.reject(this.error);
    else w.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
        if (this.state === 'ended') return Promise.resolve({ value: undefined, done: true });
        if (this.state === 'failed') return Promise.reject(this.error);
        return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
      },
      return: () => {
        this.items.length = 0;
        if (this.state === 'open') this.state = 'ended';
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
