import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../lib/models/rng.js';
import { memoryLogger, silentLogger } from '../../lib/ops/logger.js';
import type { Ingress } from '../ingress.js';
import { createIngress } from '../ingress.js';
import type { Resource } from '../manifests/load-manifests.js';
import { defaultManifestsFolder, loadManifests } from '../manifests/load-manifests.js';
import type { Serving, ServingOptions } from './create-serving.js';
import { createServing } from './create-serving.js';
import type { TinyBundle } from './test-helpers/test-bundle.js';
import { trainTinyBundle } from './test-helpers/test-bundle.js';
import { until } from './test-helpers/until.js';

// Spawns real functions from dist/: run `npm run build` first.
const packageRoot = resolve(import.meta.dirname, '..', '..');
const brokerUrl = 'http://127.0.0.1:9/movierec/default';

let resources: Resource[];
let bundles: TinyBundle[];
let root: string;
let serving: Serving | undefined;
let ingress: Ingress | undefined;

beforeAll(async () => {
  resources = await loadManifests(defaultManifestsFolder());
  root = await mkdtemp(join(tmpdir(), 'movierec-serving-'));
  bundles = [];
  for (const seed of [1, 2, 3, 4]) bundles.push(await trainTinyBundle(join(root, 'models'), seed));
  return () => rm(root, { recursive: true, force: true });
});

afterEach(async () => {
  await ingress?.close();
  await serving?.stop();
  ingress = undefined;
  serving = undefined;
});

async function up(options: Partial<ServingOptions> = {}) {
  const dataDir = await mkdtemp(join(root, 'data-'));
  const rng = new Rng(11);
  serving = createServing({ resources, dataDir, packageRoot, brokerUrl, logger: silentLogger, functions: [], random: () => rng.next(), ...options });
  ingress = await createIngress({ port: 0, host: '127.0.0.1', routes: serving.routes, logger: silentLogger });
  return { serving, url: ingress.url, dataDir };
}

async function recommend(url: string, user: string) {
  const response = await fetch(`${url}/recommend/${user}`);
  const text = await response.text();
  return { status: response.status, text, revision: response.headers.get('x-revision'), version: response.headers.get('x-model-version') };
}

const alive = (pid: number | null): boolean => {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('serving recommend revisions from dist/', () => {
  it('serves a deploy, splits with a second one, and drains the first when traffic leaves it', async () => {
    const { serving, url } = await up();
    expect(await recommend(url, '42')).toMatchObject({ status: 503, text: 'no model serving yet' });

    const { revision: first } = await serving.platform.deploy({ modelUri: bundles[0].dir, percent: 100, tag: 'champion' });
    expect(await serving.platform.settled(first)).toBe('ready');
    const answer = await recommend(url, '42');
    expect(answer).toMatchObject({ status: 200, revision: 'recommend-00001', version: bundles[0].version });
    expect(answer.text.split(',')).toHaveLength(20);

    const { revision: second } = await serving.platform.deploy({ modelUri: bundles[1].dir, percent: 50 });
    expect(await serving.platform.settled(second)).toBe('ready');
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) seen.add((await recommend(url, String(i + 1))).version ?? '');
    expect([...seen].sort()).toEqual([bundles[0].version, bundles[1].version].sort());

    const firstPid = serving.status().revisions.find((r) => r.name === first)?.pid ?? null;
    expect(alive(firstPid)).toBe(true);
    await serving.platform.setTraffic([{ revision: second, percent: 100, tag: 'champion' }]);
    await until('the first revision is gone', () => !serving.status().revisions.some((r) => r.name === first));
    await until('its process exited', () => !alive(firstPid));
    for (let i = 0; i < 10; i++) expect(await recommend(url, '42')).toMatchObject({ status: 200, revision: second });
    expect((await serving.platform.describe()).revisions).toMatchObject([{ name: second, percent: 100, tag: 'champion', ready: true }]);
  });

  it('starts recommend-00001 from the manifest MODEL_URI when it holds a bundle, and logs to <dataDir>/logs', async () => {
    const dataDir = await mkdtemp(join(root, 'data-'));
    await cp(bundles[2].dir, join(dataDir, 'models', 'bootstrap'), { recursive: true });
    const { serving, url } = await up({ dataDir });
    await serving.start();
    expect(await serving.platform.describe()).toMatchObject({
      revisions: [{ name: 'recommend-00001', modelUri: '/var/lib/movierec/models/bootstrap', modelVersion: bundles[2].version, percent: 100, tag: 'champion' }],
    });
    expect(await recommend(url, '7')).toMatchObject({ status: 200, revision: 'recommend-00001', version: bundles[2].version });
    expect(await readFile(join(dataDir, 'logs', 'recommend-00001.log'), 'utf8')).toContain('model loaded');
  });

  it('marks a revision whose bundle is missing as failed and keeps serving the others', async () => {
    const { serving, url } = await up({ readyTimeoutMs: 8000 });
    const { revision: good } = await serving.platform.deploy({ modelUri: bundles[0].dir, percent: 100, tag: 'champion' });
    await serving.platform.settled(good);
    const { revision: bad } = await serving.platform.deploy({ modelUri: join(root, 'no-such-bundle'), percent: 50 });
    // The function stays unready when its model fails to load: the readiness timeout fails it.
    expect(await serving.platform.settled(bad)).toBe('failed');
    expect(serving.status().revisions.find((r) => r.name === bad)).toMatchObject({ phase: 'failed', percent: 0 });
    expect((await serving.platform.describe()).revisions.map((r) => r.name)).toEqual([good]);
    expect(await recommend(url, '3')).toMatchObject({ status: 200, revision: good });
  });

  it('has zero downtime across two deploy + setTraffic cycles: only 200s, each from a revision that was ready', async () => {
    const { serving, url } = await up();
    const { revision: first } = await serving.platform.deploy({ modelUri: bundles[0].dir, percent: 100, tag: 'champion' });
    expect(await serving.platform.settled(first)).toBe('ready');
    const ready = new Map<string, string>([[first, bundles[0].version]]);

    const answers: Array<Awaited<ReturnType<typeof recommend>>> = [];
    let hammering = true;
    const client = async (c: number) => {
      for (let i = 0; hammering; i++) answers.push(await recommend(url, String(((c * 7 + i) % 70) + 1)));
    };
    const clients = Array.from({ length: 4 }, (_, c) => client(c));

    for (const bundle of [bundles[1], bundles[3]]) {
      const { revision } = await serving.platform.deploy({ modelUri: bundle.dir, percent: 50 });
      expect(await serving.platform.settled(revision)).toBe('ready');
      ready.set(revision, bundle.version);
      const before = answers.length;
      await until('the new revision answers', () => answers.slice(before).some((a) => a.revision === revision));
      await serving.platform.setTraffic([{ revision, percent: 100, tag: 'champion' }]);
      await until('one revision left', () => serving.status().revisions.length === 1);
    }
    const settledCount = answers.length;
    await until('more answers after the last change', () => answers.length > settledCount + 20);
    hammering = false;
    await Promise.all(clients);

    expect(answers.length).toBeGreaterThan(100);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    for (const a of answers) expect(a.version).toBe(ready.get(a.revision ?? ''));
    expect(new Set(answers.map((a) => a.revision))).toEqual(new Set(ready.keys()));
  });
});

describe('supervised functions', () => {
  it('run with the manifest env and K_*, report an unexpected exit with its code and log file, and restart', async () => {
    const dir = await mkdtemp(join(root, 'fn-'));
    const source = join(dir, 'hello.js');
    await writeFile(
      source,
      `exports.hello = (req, res) => {
  if (req.path === '/healthz') return res.send('ok');
  if (req.path === '/exit') { res.send('bye'); setTimeout(() => process.exit(3), 20); return; }
  const { K_SERVICE, K_CONFIGURATION, K_REVISION, K_SINK, EVENTS_URI, PLATFORM_URL } = process.env;
  res.json({ K_SERVICE, K_CONFIGURATION, K_REVISION, K_SINK, EVENTS_URI, PLATFORM_URL });
};
`,
    );
    const hello: Resource = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'hello', namespace: 'movierec', labels: { 'movierec.io/emits-events': 'true' } },
      spec: {
        template: {
          spec: {
            containers: [
              {
                args: ['--target=hello', `--source=${source}`],
                env: [{ name: 'EVENTS_URI', value: '/var/lib/movierec/events' }],
                readinessProbe: { httpGet: { path: '/healthz' } },
              },
            ],
          },
        },
      },
    };
    const { logger, lines } = memoryLogger('WARNING');
    const { serving, dataDir } = await up({
      resources: [...resources, hello],
      functions: ['hello', 'not-a-service'],
      extraEnv: { PLATFORM_URL: 'http://127.0.0.1:1' },
      logger,
    });
    await serving.start();
    const [status] = serving.status().functions;
    expect(status).toMatchObject({ name: 'hello', ready: true, restarts: 0 });
    const helloUrl = serving.resolve('hello');
    expect(helloUrl).toBe(status.url);
    expect(await (await fetch(`${helloUrl}/env`)).json()).toEqual({
      K_SERVICE: 'hello',
      K_CONFIGURATION: 'hello',
      K_REVISION: 'hello-00001',
      K_SINK: brokerUrl,
      EVENTS_URI: join(dataDir, 'events'),
      PLATFORM_URL: 'http://127.0.0.1:1',
    });

    await (await fetch(`${helloUrl}/exit`)).text();
    await until('a restart', () => serving.status().functions[0].restarts === 1 && serving.resolve('hello') !== undefined);
    const exited = lines.find((l) => l.message === 'function process exited unexpectedly');
    expect(exited).toMatchObject({ severity: 'ERROR', service: 'hello', code: 3, logFile: join(dataDir, 'logs', 'hello-00001.log'), pid: status.pid });
    expect(lines.some((l) => String(l.message).includes('no Service of that name') && l.service === 'not-a-service')).toBe(true);
    expect(await readFile(join(dataDir, 'logs', 'hello-00001.log'), 'utf8')).toContain('Function: hello');

    const pid = serving.status().functions[0].pid;
    await serving.stop();
    expect(alive(pid)).toBe(false);
  });
});
