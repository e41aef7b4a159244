import type { Logger } from '../lib/ops/logger.js';
import { MovierecError } from '../lib/errors.js';

/**
 * The audience's way to the stream: lines are queued in order and sent in
 * batches (when `batchLines` wait, else every `flushMs`) through `post`, one
 * batch at a time, so the stream receives them in the order they were
 * written. A retriable failure is retried with exponential backoff and
 * jitter (100 ms doubling to 5 s) for as long as the sim runs: lines are not
 * lost. A non-retriable failure (the ingress refuses the batch: retrying
 * cannot help) drops that batch with an error log.
 *
 * The queue is bounded by the caller: `full()` says when `maxBufferedLines`
 * wait, and the audience then starts no new session until there is room (so
 * the only lines beyond the bound are those of sessions already running).
 * The send loop starts with the first line pushed.
 * `close(timeoutMs)` sends what is left, retrying until the timeout; lines
 * still unsent then are dropped, counted and logged.
 */
export interface LineBatcherStats {
  readonly posted: number;
  readonly dropped: number;
  readonly retried: number;
  readonly buffered: number;
}

export interface LineBatcher {
  push(line: string): void;
  full(): boolean;
  close(timeoutMs: number): Promise<void>;
  stats(): LineBatcherStats;
}

export interface LineBatcherOptions {
  /** Sends `count` lines joined by `\n`; throws (a MovierecError with `retriable`) on failure. */
  readonly post: (body: string, count: number) => Promise<void>;
  readonly batchLines: number;
  readonly flushMs: number;
  readonly maxBufferedLines: number;
  readonly logger: Logger;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** In [0, 1); the jitter's source. */
  readonly random?: () => number;
}

export function createLineBatcher(options: LineBatcherOptions): LineBatcher {
  const { batchLines, flushMs, logger } = options;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const random = options.random ?? Math.random;
  let queue: string[] = [];
  const counts = { posted: 0, dropped: 0, retried: 0 };
  let closing = false;
  let deadline = Number.POSITIVE_INFINITY;
  let wake: (() => void) | undefined;
  let retrying = false;

  /** Wait `ms`, or less when woken (a full batch, close). */
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  const signal = (): void => wake?.();

  const drop = (count: number, why: string): void => {
    queue = queue.slice(count);
    counts.dropped += count;
    logger.error(`dropped ${count} line(s): ${why}`, { droppedTotal: counts.dropped });
  };

  /** Send the first `count` lines, retrying retriable failures; false when closing ran out of time. */
  async function sendBatch(count: number): Promise<boolean> {
    const body = queue.slice(0, count).join('\n');
    for (let attempt = 1; ; attempt++) {
      try {
        await options.post(body, count);
        retrying = false;
        queue = queue.slice(count);
        counts.posted += count;
        if (attempt > 1) logger.info('the stream takes lines again', { attempts: attempt });
        return true;
      } catch (error) {
        const retriable = error instanceof MovierecError && error.retriable;
        const message = error instanceof Error ? error.message : String(error);
        if (!retriable) {
          retrying = false;
          drop(count, message);
          return true;
        }
        if (attempt === 1) logger.warning('cannot send lines to the stream; retrying', { error: message, buffered: queue.length });
        counts.retried += 1;
        retrying = true;
        const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 20));
        const wait = delay / 2 + random() * (delay / 2);
        if (performance.now() + wait > deadline) return false;
        await pause(wait);
      }
    }
  }

  async function loop(): Promise<void> {
    for (;;) {
      if (queue.length < batchLines && !closing) await pause(flushMs);
      while (queue.length > 0) {
        if (!(await sendBatch(Math.min(batchLines, queue.length)))) {
          drop(queue.length, 'the stream was still unreachable when the audience stopped');
          return;
        }
        if (queue.length < batchLines && !closing) break;
      }
      if (closing && queue.length === 0) return;
    }
  }

  // The loop starts with the first line, so a batcher that never gets one holds no timer.
  let running: Promise<void> | undefined;

  return {
    push(line) {
      running ??= loop().catch((error: unknown) => logger.error('the line batcher failed', { error }));
      queue.push(line);
      if (queue.length === batchLines && !retrying) signal();
    },
    full: () => queue.length >= options.maxBufferedLines,
    async close(timeoutMs) {
      if (!closing) {
        closing = true;
        deadline = performance.now() + timeoutMs;
        signal();
      }
      await running;
    },
    stats: () => ({ ...counts, buffered: queue.length }),
  };
}
