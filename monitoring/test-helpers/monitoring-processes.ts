// The real Debian Prometheus and Alertmanager as child processes on 127.0.0.1, each with a temp data dir,
// plus a webhook receiver standing in for Slack's incoming-webhook endpoint (a local HTTP server).
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../../lib/ops/free-port.js';

export interface Running {
  readonly url: string;
  readonly dir: string;
  output(): string;
  stop(): Promise<void>;
}

/** Start `binary` with `args(port, dir)` on a free port and a fresh temp dir; resolves once `GET /-/ready` answers 200. */
async function start(name: string, binary: string, files: Record<string, unknown>, args: (port: number, dir: string) => string[]): Promise<Running> {
  const dir = await mkdtemp(join(tmpdir(), `movierec-${name}-`));
  for (const [file, content] of Object.entries(files)) await writeFile(join(dir, file), typeof content === 'string' ? content : stringify(content));
  const port = await freePort();
  const child: ChildProcess = spawn(binary, args(port, dir), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}`;
  const running: Running = {
    url,
    dir,
    output: () => text,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await until(async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${text}`);
      return fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    }, `${name} to be ready`);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}

/** `/usr/bin/prometheus` with `config` (YAML as an object) and extra files (e.g. rules) beside it. */
export function startPrometheus(config: unknown, files: Record<string, unknown> = {}): Promise<Running> {
  return start('prometheus', '/usr/bin/prometheus', { ...files, 'prometheus.yml': config }, (port, dir) => [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--rules.alert.resend-delay=1s',
    '--log.level=warn',
  ]);
}

/** `/usr/bin/prometheus-alertmanager` with `config` (YAML as an object), clustering off. */
export function startAlertmanager(config: unknown, files: Record<string, unknown> = {}): Promise<Running> {
  return start('alertmanager', '/usr/bin/prometheus-alertmanager', { ...files, 'alertmanager.yml': config }, (port, dir) => [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ]);
}

export interface WebhookReceiver {
  readonly url: string;
  /** The JSON bodies POSTed so far, in order. */
  readonly received: unknown[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that keeps every JSON body POSTed to it and answers 200 `ok` (as Slack does). */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      } catch {
        res.writeHead(400).end('invalid_payload');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/services/T000/B000/test`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Poll `check` every 100 ms until it is true; fails after `timeoutMs` naming `what`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
