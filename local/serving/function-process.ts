import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../../lib/ops/logger.js';
import { freePort } from '../../lib/ops/free-port.js';
import { functionArgs } from './function-env.js';
import { httpProbe, probeUntilReady, tcpProbe } from './readiness-probe.js';
import { FunctionProcessError } from './serving-errors.js';
import type { FunctionSpec } from './service-specs.js';

/** How a process ended; `expected` when the runtime stopped it. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly expected: boolean;
}

/** What the revisions of `recommend` need of a process (tests stand plain HTTP servers in for it). */
export interface RevisionProcess {
  readonly url: string;
  readonly pid: number | null;
  /** Settles when the process is gone, however it ended. */
  readonly exited: Promise<ExitInfo>;
  /** Resolves once the readiness probe passes; rejects with FunctionProcessError if it exits or times out first. */
  waitReady(timeoutMs: number): Promise<void>;
  /** SIGTERM, then SIGKILL after the grace period; resolves once it exited. */
  stop(): Promise<ExitInfo>;
}

export interface FunctionProcess extends RevisionProcess {
  readonly revision: string;
  readonly logFile: string;
  readonly ready: boolean;
  /** Null while it runs. */
  readonly exit: ExitInfo | null;
  /** `Date.now()` at spawn. */
  readonly startedAt: number;
}

export interface FunctionProcessOptions {
  readonly spec: FunctionSpec;
  readonly revision: string;
  readonly packageRoot: string;
  readonly dataDir: string;
  /** The whole environment (see functionEnv); `PORT` is added here. */
  readonly env: Readonly<Record<string, string>>;
  readonly logger: Logger;
  readonly host?: string;
  /** Between SIGTERM and SIGKILL. Default 5 s. */
  readonly graceMs?: number;
  /** Between readiness probes. Default 25 ms. */
  readonly probeIntervalMs?: number;
}

/** The functions-framework CLI of the package. */
export function frameworkCli(packageRoot: string): string {
  return join(packageRoot, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');
}

/**
 * Start one function under the functions-framework CLI, as its Service's
 * container would run: `node main.js --target=… --source=…` with
 * `PORT` = a free port on 127.0.0.1, cwd = the package root, stdout and
 * stderr appended to `<dataDir>/logs/<revision>.log`. An exit the runtime did
 * not ask for is logged as an error with its code and the log file.
 */
/** The parent watch preloaded into each child, from the package's build like the functions themselves. */
export function parentWatch(packageRoot: string): string {
  return pathToFileURL(join(packageRoot, 'dist', 'local', 'serving', 'parent-watch.js')).href;
}

export async function startFunctionProcess(options: FunctionProcessOptions): Promise<FunctionProcess> {
  const { spec, revision, logger } = options;
  const host = options.host ?? '127.0.0.1';
  const graceMs = options.graceMs ?? 5000;
  const logDir = join(options.dataDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const logFile = join(logDir, `${revision}.log`);
  const port = await freePort(host);
  const log = await open(logFile, 'a');
  let child: ChildProcess;
  try {
    // Its own process group (a terminal's Ctrl-C reaches only the runtime, which stops children in order),
    // and an IPC channel whose loss — the runtime gone — makes the child exit (parent-watch.ts).
    child = spawn(process.execPath, ['--import', parentWatch(options.packageRoot), frameworkCli(options.packageRoot), ...functionArgs(spec, options.packageRoot)], {
      cwd: options.packageRoot,
      env: { ...options.env, PORT: String(port) },
      stdio: ['ignore', log.fd, log.fd, 'ipc'],
      detached: true,
    });
    child.unref();
    child.channel?.unref();
  } finally {
    await log.close();
  }
  const startedAt = Date.now();
  const fields = { service: spec.name, revision, logFile };
  let ready = false;
  let stopping = false;
  let exit: ExitInfo | null = null;
  const exited = new Promise<ExitInfo>((resolveExit) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (exit !== null) return;
      exit = { code, signal, expected: stopping };
      ready = false;
      if (!stopping) logger.error('function process exited unexpectedly', { ...fields, code, signal, pid: child.pid });
      resolveExit(exit);
    };
    child.once('exit', finish);
    child.once('error', (error) => {
      logger.error('function process failed to start', { ...fields, error });
      finish(null, null);
    });
  });

  let readiness: Promise<void> | undefined;
  const probe = spec.readinessPath === null ? tcpProbe(host, port) : httpProbe(host, port, spec.readinessPath);
  const waitReady = (timeoutMs: number): Promise<void> => {
    readiness ??= probeUntilReady({
      probe,
      intervalMs: options.probeIntervalMs ?? 25,
      timeoutMs,
      abandon: () => {
        if (exit !== null) return `exited before ready (code ${String(exit.code)}, signal ${String(exit.signal)})`;
        return stopping ? 'stopped before ready' : undefined;
      },
    }).then((outcome) => {
      if (outcome !== 'ready') throw new FunctionProcessError(revision, outcome.gaveUp, logFile);
      ready = true;
      logger.info('function ready', { ...fields, url: `http://${host}:${port}`, pid: child.pid, ms: Date.now() - startedAt });
    });
    return readiness;
  };

  const stop = async (): Promise<ExitInfo> => {
    if (exit !== null) return exit;
    stopping = true;
    ready = false;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  logger.debug('function process started', { ...fields, pid: child.pid, port });
  return {
    revision,
    logFile,
    url: `http://${host}:${port}`,
    pid: child.pid ?? null,
    startedAt,
    exited,
    waitReady,
    stop,
    get ready() {
      return ready;
    },
    get exit() {
      return exit;
    },
  };
}
