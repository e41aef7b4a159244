import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from '../../../lib/ops/free-port.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const FRAMEWORK = resolve(ROOT, 'node_modules/@google-cloud/functions-framework/build/src/main.js');
const SOURCE = resolve(ROOT, 'dist/functions/ingest/index.js');

export interface IngestProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
}

/** Start ingest as it runs in a Service: the functions-framework CLI on the compiled function (run `npm run build` first). */
export async function startIngest(env: Record<string, string>): Promise<IngestProcess> {
  if (!existsSync(SOURCE)) throw new Error(`${SOURCE} is missing: run \`npm run build\` before the integration tests`);
  const port = await freePort();
  const child = spawn(process.execPath, [FRAMEWORK, '--target=ingest', `--source=${SOURCE}`, `--port=${port}`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = new Promise<number | NodeJS.Signals | null>((done) => child.once('exit', (code, signal) => done(code ?? signal)));
  return { url: `http://127.0.0.1:${port}`, child, output: () => text, exited };
}

/** Poll /healthz until it answers 200; fails if the process exits first. */
export async function untilHealthy(ingest: IngestProcess): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (ingest.child.exitCode !== null) throw new Error(`ingest exited with ${ingest.child.exitCode}: ${ingest.output()}`);
    const ok = await fetch(`${ingest.url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error(`ingest never became healthy: ${ingest.output()}`);
}

/** SIGKILL (a crash: nothing gets to flush) and wait for the exit. */
export async function crash(ingest: IngestProcess): Promise<void> {
  if (ingest.child.exitCode === null && ingest.child.signalCode === null) ingest.child.kill('SIGKILL');
  await ingest.exited;
}
