import type { Logger } from '../../lib/ops/logger.js';
import type { FunctionProcess } from './function-process.js';
import { FunctionProcessError } from './serving-errors.js';

export interface SupervisorOptions {
  readonly name: string;
  /** Start a fresh process of the function. */
  readonly launch: () => Promise<FunctionProcess>;
  readonly logger: Logger;
  readonly readyTimeoutMs: number;
  /** First restart delay; doubles per consecutive crash up to `maxBackoffMs`. Default 500 ms. */
  readonly backoffMs?: number;
  /** Default 30 s. */
  readonly maxBackoffMs?: number;
  /** A process that ran this long before it exited restarts after the first delay again. Default 60 s. */
  readonly stableMs?: number;
}

export interface SupervisedFunction {
  readonly name: string;
  /** The current process; null between a crash and its restart. */
  readonly current: FunctionProcess | null;
  readonly restarts: number;
  /** Start it; resolves once a process is ready (restarting as needed), rejects after `readyTimeoutMs`. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keep one function (ingest, train, evaluate) running, as Knative keeps a
 * min-scale 1 Service: a process that exits on its own is restarted with
 * exponential backoff.
 */
export function superviseFunction(options: SupervisorOptions): SupervisedFunction {
  const { logger } = options;
  const backoffMs = options.backoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const stableMs = options.stableMs ?? 60_000;
  let current: FunctionProcess | null = null;
  let restarts = 0;
  let crashes = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const readyWaiters = new Set<() => void>();

  const run = async (): Promise<void> => {
    if (stopped) return;
    let child: FunctionProcess;
    try {
      child = await options.launch();
    } catch (error) {
      logger.error('cannot start function', { service: options.name, error });
      schedule();
      return;
    }
    current = child;
    if (stopped) {
      await child.stop();
      return;
    }
    void child.exited.then((exit) => {
      if (exit.expected || stopped) return;
      current = null;
      crashes = Date.now() - child.startedAt >= stableMs ? 1 : crashes + 1;
      schedule();
    });
    child.waitReady(options.readyTimeoutMs).then(
      () => {
        for (const wake of readyWaiters) wake();
      },
      (error: unknown) => logger.warning('function not ready', { service: options.name, error }),
    );
  };

  const schedule = (): void => {
    if (stopped) return;
    const delay = Math.min(maxBackoffMs, backoffMs * 2 ** Math.max(0, crashes - 1));
    logger.warning('restarting function', { service: options.name, inMs: delay, restarts: restarts + 1 });
    timer = setTimeout(() => {
      restarts += 1;
      running = run();
    }, delay);
  };

  return {
    name: options.name,
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    async start() {
      let timeout: NodeJS.Timeout | undefined;
      let wake: (() => void) | undefined;
      const ready = new Promise<void>((resolveReady, reject) => {
        wake = resolveReady;
        readyWaiters.add(resolveReady);
        timeout = setTimeout(
          () => reject(new FunctionProcessError(options.name, `not ready within ${options.readyTimeoutMs} ms`, current?.logFile)),
          options.readyTimeoutMs,
        );
      });
      running = run();
      try {
        await ready;
      } finally {
        clearTimeout(timeout);
        if (wake !== undefined) readyWaiters.delete(wake);
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      if (current !== null) await current.stop();
    },
  };
}
