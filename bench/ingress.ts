import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { z } from 'zod';
import { writeBundle } from '../lib/artifacts/write-bundle.js';
import type { Logger } from '../lib/ops/logger.js';
import { createLogger } from '../lib/ops/logger.js';
import type { Ingress } from '../local/ingress.js';
import { createIngress } from '../local/ingress.js';
import { defaultManifestsFolder, loadManifests } from '../local/manifests/load-manifests.js';
import type { Serving } from '../local/serving/create-serving.js';
import { createServing } from '../local/serving/create-serving.js';
import { randomBundleInput, randomSvd } from './random-model.js';
import { isMain } from './stats.js';
import { cpuSeconds } from './cpu-seconds.js';

/**
 * `/recommend` through the local ingress at a fixed rate: a course-ish SVD
 * (100k users × 27k movies × 64 factors, synthetic) served by one revision
 * under the functions-framework CLI, the ingress in its own process (as
 * `movierec up` runs it), autocannon here. Reports p50/p99/max latency,
 * errors, and where the CPU went (Linux `/proc`): the recommend revision's
 * CPU µs per request, and the shares of one core taken by the revision, the
 * ingress process (with the Broker stand-in), the load generator and
 * everything else on the machine.
 * `node dist/bench/ingress.js [--duration S] [--rate R] [--connections C] [--direct]`.
 */

export const BENCH_USERS = 100_000;
const PACKAGE_ROOT = dirname(dirname(defaultManifestsFolder()));

/** Write the bench bundle (100k × 27k × 64 SVD in training's layout, 10 seen per user) under `root`; its folder. */
export async function writeCourseishBundle(root: string, nUsers = BENCH_USERS): Promise<string> {
  const dir = join(root, 'bundle');
  const users = Array.from({ length: nUsers }, (_, u) => benchUser(u));
  await writeBundle(dir, randomBundleInput(randomSvd({ nUsers, nMovies: 27_000, factors: 64 }), users));
  return dir;
}

/** A raw user id of the bench bundle: 100000 + 3u. */
export function benchUser(u: number): string {
  return String(100_000 + (u % BENCH_USERS) * 3);
}

export interface BenchServing {
  readonly serving: Serving;
  readonly ingress: Ingress;
  close(): Promise<void>;
}

/** Serving + ingress from knative/base with no supervised functions, and a Broker stand-in that accepts every event. */
export async function startBenchServing(dataDir: string, logger: Logger): Promise<BenchServing> {
  const broker: Server = createServer((req, res) => {
    req.resume();
    req.once('end', () => res.writeHead(202).end());
  });
  await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
  const address = broker.address();
  const brokerUrl = `http://127.0.0.1:${address !== null && typeof address === 'object' ? address.port : 0}/movierec/default`;
  const resources = await loadManifests(defaultManifestsFolder());
  const serving = createServing({ resources, dataDir, packageRoot: PACKAGE_ROOT, brokerUrl, logger, functions: [] });
  const ingress = await createIngress({ port: 0, host: '127.0.0.1', routes: serving.routes, logger });
  return {
    serving,
    ingress,
    async close() {
      await ingress.close();
      await serving.stop();
      broker.closeAllConnections();
      await new Promise((resolve) => broker.close(resolve));
    },
  };
}

const ReadySchema = z.object({ url: z.url(), revisionUrl: z.url(), revisionPid: z.number().int().nullable(), servingPid: z.number().int() });

export interface IngressBenchResult {
  readonly rate: number;
  readonly connections: number;
  readonly seconds: number;
  readonly requests: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly errors: number;
  readonly non2xx: number;
  /** Undefined off Linux. */
  readonly cpu?: CpuUse;
}

/** CPU used during the measured run: shares in % of one core, and the revision's CPU per request. */
export interface CpuUse {
  readonly recommendMicrosPerRequest: number;
  readonly recommend: number;
  readonly ingress: number;
  readonly load: number;
  readonly other: number;
}

/** Start measuring; the returned function ends the measurement for `requests` requests. */
function cpuMeter(revisionPid: number, servingPid: number): (requests: number) => CpuUse | undefined {
  const started = { at: performance.now(), self: process.cpuUsage(), revision: cpuSeconds(revisionPid), serving: cpuSeconds(servingPid), all: cpuSeconds() };
  return (requests) => {
    const seconds = (performance.now() - started.at) / 1000;
    const self = process.cpuUsage(started.self);
    const [revision, serving, all] = [cpuSeconds(revisionPid), cpuSeconds(servingPid), cpuSeconds()];
    if (started.revision === undefined || started.serving === undefined || started.all === undefined) return undefined;
    if (revision === undefined || serving === undefined || all === undefined) return undefined;
    const used = { recommend: revision - started.revision, ingress: serving - started.serving, load: (self.user + self.system) / 1e6 };
    const share = (cpu: number) => Math.round((100 * cpu) / seconds);
    return {
      recommendMicrosPerRequest: requests > 0 ? Math.round((used.recommend * 1e6) / requests) : Number.NaN,
      recommend: share(used.recommend),
      ingress: share(used.ingress),
      load: share(used.load),
      other: share(Math.max(0, all - started.all - used.recommend - used.ingress - used.load)),
    };
  };
}

/** Child mode: serve the bundle, print `{ "url": … }`, run until stdin closes. */
async function serveChild(bundleDir: string, dataDir: string): Promise<void> {
  const logger = createLogger({ out: process.stderr, level: 'WARNING' });
  const bench = await startBenchServing(dataDir, logger);
  const { revision } = await bench.serving.platform.deploy({ modelUri: bundleDir, percent: 100, tag: 'champion' });
  if ((await bench.serving.platform.settled(revision)) !== 'ready') throw new Error(`${revision} did not get ready`);
  const status = bench.serving.status().revisions[0];
  const ready = { url: bench.ingress.url, revisionUrl: status?.url ?? bench.ingress.url, revisionPid: status?.pid ?? null, servingPid: process.pid };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  await bench.close();
}

export interface IngressBenchOptions {
  readonly seconds: number;
  readonly rate: number;
  /**
   * autocannon connections. Its rate is a per-connection quota per second,
   * sent back to back from the top of each second: a burst of this many
   * concurrent requests, not evenly spaced arrivals. Default 10.
   */
  readonly connections?: number;
  /** Load the revision directly, bypassing the ingress (to see what the ingress adds). */
  readonly direct?: boolean;
}

export async function benchIngress(options: IngressBenchOptions): Promise<IngressBenchResult> {
  const root = await mkdtemp(join(tmpdir(), 'movierec-bench-ingress-'));
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', root], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    console.error(`ingress: writing a ${BENCH_USERS} × 27000 × 64 bundle and starting the revision …`);
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`serving child exited (${String(code)})`)));
    });
    const ready = ReadySchema.parse(JSON.parse(first));
    const url = options.direct === true ? ready.revisionUrl : ready.url;
    // Warm-up: JIT and kept-alive sockets, not measured.
    await autocannon({ url, connections: 10, overallRate: options.rate, duration: 3, requests: [{ setupRequest: userPath() }] });
    console.error(`ingress: ${options.rate} requests/s for ${options.seconds} s through ${url} …`);
    const connections = options.connections ?? 10;
    const meter = ready.revisionPid === null ? undefined : cpuMeter(ready.revisionPid, ready.servingPid);
    const r = await autocannon({ url, connections, overallRate: options.rate, duration: options.seconds, requests: [{ setupRequest: userPath() }] });
    const cpu = meter?.(r.requests.total);
    return { rate: options.rate, connections, seconds: options.seconds, requests: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, errors: r.errors, non2xx: r.non2xx, cpu };
  } finally {
    child.stdin.end();
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
    await rm(root, { recursive: true, force: true });
  }
}

/** A request setup that walks the users in a scattered order, 5 % of them unknown (the popularity fallback). */
function userPath() {
  let i = 0;
  return (request: autocannon.Request): autocannon.Request => {
    i += 1;
    const user = i % 20 === 0 ? String(900_000_000 + i) : benchUser(i * 7919);
    return { ...request, method: 'GET', path: `/recommend/${user}` };
  };
}

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? Number.NaN : Number(process.argv[at + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

if (isMain(import.meta.url)) {
  const serveAt = process.argv.indexOf('--serve');
  if (serveAt >= 0) {
    const root = process.argv[serveAt + 1];
    await serveChild(await writeCourseishBundle(root), join(root, 'data'));
  } else {
    const direct = process.argv.includes('--direct');
    const r = await benchIngress({ seconds: flag('duration', 60), rate: flag('rate', 500), connections: flag('connections', 10), direct });
    // autocannon cannot send faster than the answers come: a rate it did not reach is a miss too.
    const achieved = r.requests / r.seconds;
    const met = r.p99 <= 50 && r.errors === 0 && r.non2xx === 0 && achieved >= 0.95 * r.rate;
    const cpu =
      r.cpu === undefined
        ? ''
        : `; recommend ${r.cpu.recommendMicrosPerRequest} CPU µs/request; CPU % of a core: recommend ${r.cpu.recommend}, ingress ${r.cpu.ingress}, load ${r.cpu.load}, other ${r.cpu.other}`;
    console.log('| bench | result | target |');
    console.log('|---|---|---|');
    console.log(
      `| ${direct ? 'revision (no ingress)' : 'ingress'} /recommend, ${r.rate} req/s × ${r.seconds} s, ${r.connections} connections | ${achieved.toFixed(0)} req/s achieved; p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms; ` +
        `${r.errors} errors, ${r.non2xx} non-2xx${cpu} | ${r.rate} req/s sustained, p99 ≤ 50 ms, 0 errors: ${met ? 'met' : '**missed**'} |`,
    );
  }
}
