import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../lib/messaging/test-helpers/wait-for.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** TEST HELPER — the built `movierec up`, as a user starts it in a shell. */
export interface UpProcess {
  readonly child: ChildProcess;
  /** The ingress URL it printed. */
  readonly url: string;
  /** Its exit code, once it exits. */
  readonly exited: Promise<number | null>;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  /** Ctrl-C (SIGINT to its process group), then SIGKILL if it has not exited within 30 s. */
  stop(): Promise<void>;
}

/** `movierec up --port 0 <args>` in its own process group (a shell job), once it printed its URL. */
export async function startUp(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<UpProcess> {
  const child = spawn(process.execPath, [CLI, 'up', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.resume();
  const url = await waitFor('the ingress URL on stdout', () => /up at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1], { timeoutMs: 60_000, everyMs: 50 });
  return {
    child,
    url,
    exited,
    stdout: () => stdout,
    async stop() {
      if (child.pid === undefined || child.exitCode !== null) return;
      process.kill(-child.pid, 'SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    },
  };
}
