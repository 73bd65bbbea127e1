// Fan-out of events to any number of async iterators, each with its own queue.

/**
 * Broadcasts values to every open iterator. An iterator sees what is
 * published after it was created, in order; it ends when the stream closes.
 * Queues are unbounded: a consumer that never reads holds every event.
 * @internal
 */
export class EventStream<T> {
  private readonly consumers = new Set<Consumer<T>>();
  private closed = false;

  publish(value: T): void {
    for (const c of this.consumers) c.push(value);
  }

  /** Ends every iterator once it has drained what it was given. */
  close(): void {
    this.closed = true;
    for (const c of this.consumers) c.end();
    this.consumers.clear();
  }

  iterator(): AsyncIterableIterator<T> {
    const consumer = new Consumer<T>(() => this.consumers.delete(consumer));
    if (this.closed) consumer.end();
    else this.consumers.add(consumer);
    return consumer;
  }
}

class Consumer<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private readonly waiters: Array<(r: IteratorResult<T>) => void> = [];
  private done = false;

  constructor(private readonly detach: () => void) {}

  push(value: T): void {
    if (this.done) return;
    const w = this.waiters.shift();
    if (w) w({ value, done: false });
    else this.queue.push(value);
  }

  end(): void {
    this.done = true;
    for (const w of this.waiters.splice(0)) w({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift() as T, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.queue.length = 0;
    this.end();
    this.detach();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
