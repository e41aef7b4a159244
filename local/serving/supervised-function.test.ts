import { describe, expect, it } from 'vitest';
import { memoryLogger, silentLogger } from '../../lib/ops/logger.js';
import type { ExitInfo, FunctionProcess } from './function-process.js';
import { superviseFunction } from './supervised-function.js';
import { until } from './test-helpers/until.js';

interface FakeProcess extends FunctionProcess {
  crash(): void;
  becomeReady(): void;
  readonly stopCalls: number;
}

/** A FunctionProcess without a process: it gets ready and crashes when the test says so. */
function fakeProcess(n: number): FakeProcess {
  let exit: ExitInfo | null = null;
  let ready = false;
  let stopCalls = 0;
  let resolveExit: (info: ExitInfo) => void = () => undefined;
  let resolveReady: () => void = () => undefined;
  const exited = new Promise<ExitInfo>((resolve) => (resolveExit = resolve));
  const readiness = new Promise<void>((resolve) => (resolveReady = resolve));
  const end = (info: ExitInfo) => {
    if (exit !== null) return;
    exit = info;
    ready = false;
    resolveExit(info);
  };
  return {
    revision: 'ingest-00001',
    logFile: `/tmp/ingest-${n}.log`,
    url: `http://127.0.0.1:${1000 + n}`,
    pid: n,
    startedAt: Date.now(),
    exited,
    waitReady: () => readiness,
    stop: async () => {
      stopCalls += 1;
      end({ code: 0, signal: 'SIGTERM', expected: true });
      return exited;
    },
    crash: () => end({ code: 3, signal: null, expected: false }),
    becomeReady: () => {
      ready = true;
      resolveReady();
    },
    get ready() {
      return ready;
    },
    get exit() {
      return exit;
    },
    get stopCalls() {
      return stopCalls;
    },
  };
}

describe('superviseFunction', () => {
  it('resolves start once a process is ready, and restarts one that exits on its own', async () => {
    const launched: FakeProcess[] = [];
    const { logger, lines } = memoryLogger();
    const supervisor = superviseFunction({
      name: 'ingest',
      launch: async () => {
        const process = fakeProcess(launched.length);
        launched.push(process);
        return process;
      },
      logger,
      readyTimeoutMs: 30_000,
      backoffMs: 1,
    });
    const started = supervisor.start();
    await until('a launch', () => launched.length === 1);
    launched[0].becomeReady();
    await started;
    expect(supervisor.current?.url).toBe('http://127.0.0.1:1000');
    expect(supervisor.restarts).toBe(0);

    launched[0].crash();
    await until('a restart', () => launched.length === 2);
    expect(supervisor.restarts).toBe(1);
    launched[1].becomeReady();
    await until('the new process is current', () => supervisor.current === launched[1]);
    expect(lines.some((l) => l.message === 'restarting function' && l.service === 'ingest')).toBe(true);

    launched[1].crash();
    await until('a second restart', () => launched.length === 3);
    expect(supervisor.restarts).toBe(2);

    await supervisor.stop();
    expect(launched[2].stopCalls).toBe(1);
    expect(launched).toHaveLength(3);
  });

  it('rejects start when no process gets ready in time, and stops trying once stopped', async () => {
    const launched: FakeProcess[] = [];
    const supervisor = superviseFunction({
      name: 'train',
      launch: async () => {
        const process = fakeProcess(launched.length);
        launched.push(process);
        return process;
      },
      logger: silentLogger,
      readyTimeoutMs: 50,
      backoffMs: 1,
    });
    await expect(supervisor.start()).rejects.toThrow(/train: not ready within 50 ms/);
    await supervisor.stop();
    launched[0].crash();
    expect(launched).toHaveLength(1);
  });

  it('retries a launch that throws', async () => {
    let attempts = 0;
    const supervisor = superviseFunction({
      name: 'evaluate',
      launch: async () => {
        attempts += 1;
        if (attempts < 3) throw new Error('no port');
        const process = fakeProcess(attempts);
        process.becomeReady();
        return process;
      },
      logger: silentLogger,
      readyTimeoutMs: 30_000,
      backoffMs: 1,
    });
    await supervisor.start();
    expect(attempts).toBe(3);
    expect(supervisor.restarts).toBe(2);
    await supervisor.stop();
  });
});
