/**
 * A bounded queue with a fixed number of workers: `push` refuses work beyond
 * `limit` (waiting and in flight) instead of growing, and `idle` resolves
 * once nothing waits or runs. A failing `work` is reported to `onError`; the
 * queue keeps going.
 */

export interface WorkQueue<T> {
  /** Queue an item; false when the queue is full. */
  push(item: T): boolean;
  /** Items waiting or in flight. */
  readonly size: number;
  /** Whether `count` more items fit. */
  fits(count: number): boolean;
  idle(): Promise<void>;
}

export interface WorkQueueOptions<T> {
  readonly limit: number;
  readonly concurrency: number;
  readonly work: (item: T) => Promise<void>;
  readonly onError: (error: unknown, item: T) => void;
}

export function createWorkQueue<T>(options: WorkQueueOptions<T>): WorkQueue<T> {
  const waiting: T[] = [];
  let running = 0;
  let idleWaiters: Array<() => void> = [];

  const settle = () => {
    if (running === 0 && waiting.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  const pump = () => {
    while (running < Math.max(1, options.concurrency) && waiting.length > 0) {
      const [item] = waiting.splice(0, 1);
      running += 1;
      void options
        .work(item)
        .catch((error: unknown) => options.onError(error, item))
        .finally(() => {
          running -= 1;
          pump();
          settle();
        });
    }
  };

  return {
    push(item) {
      if (waiting.length + running >= options.limit) return false;
      waiting.push(item);
      pump();
      return true;
    },
    get size() {
      return waiting.length + running;
    },
    fits(count) {
      return waiting.length + running + count <= options.limit;
    },
    idle() {
      if (running === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
