/**
 * A single-consumer asynchronous queue with a bound on items that are superseded.
 *
 * Producers push synchronously (SDK callbacks cannot wait); the consumer pulls with `for await`.
 * Items the `supersedes` predicate marks as replaceable (interim transcripts) are coalesced when
 * the consumer lags, so a slow consumer costs memory only for the items that matter.
 *
 * @category Stream plumbing
 */
export class EventQueue<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  readonly #supersedes: (queued: T, incoming: T) => boolean;
  #head = 0;
  #closed = false;
  #iterated = false;
  #waiter: ((result: IteratorResult<T>) => void) | undefined;

  /**
   * @param supersedes - whether `incoming` makes the last queued, unread item obsolete (it is then
   * replaced rather than appended). Defaults to never.
   */
  constructor(supersedes: (queued: T, incoming: T) => boolean = () => false) {
    this.#supersedes = supersedes;
  }

  /** Items waiting to be read. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Whether {@link EventQueue.close} has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Adds an item; ignored once the queue is closed. */
  push(item: T): void {
    if (this.#closed) return;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter({ value: item, done: false });
      return;
    }
    const last = this.#items.length - 1;
    if (last >= this.#head && this.#supersedes(this.#items[last] as T, item)) {
      this.#items[last] = item;
      return;
    }
    this.#items.push(item);
  }

  /** Ends the queue: the consumer reads what is queued, then finishes. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.({ value: undefined, done: true });
  }

  /** Drops unread items and ends the queue at once. */
  clear(): void {
    this.#items.length = 0;
    this.#head = 0;
    this.close();
  }

  #next(): Promise<IteratorResult<T>> {
    if (this.#head < this.#items.length) {
      const value = this.#items[this.#head] as T;
      this.#items[this.#head] = undefined as T;
      this.#head++;
      if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
        this.#items.splice(0, this.#head);
        this.#head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /**
   * The one consumer's iterator. A second call returns an iterator that is already done, since
   * items are handed out once; breaking out of the loop stops reading but keeps producers safe.
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.#iterated) {
      return { next: () => Promise.resolve({ value: undefined, done: true }) };
    }
    this.#iterated = true;
    return {
      next: () => this.#next(),
      return: () => {
        this.clear();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
