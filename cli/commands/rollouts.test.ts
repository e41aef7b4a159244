import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSynthetic, syntheticRecords } from '../../lib/data/synthetic.js';
import { waitFor } from '../../lib/messaging/test-helpers/wait-for.js';
import { MemoryPlatform } from '../../lib/rollout/test-helpers/memory-platform.js';
import type { PlatformServer } from '../../lib/rollout/test-helpers/platform-server.js';
import { startPlatformServer } from '../../lib/rollout/test-helpers/platform-server.js';
import { loadExchanges, startKubeReplayServer } from '../../lib/rollout/test-helpers/kube-replay-server.js';
import { runCli } from '../test-helpers/run-cli.js';

let dir: string;
let bundles: string[];
let memory: MemoryPlatform;
let server: PlatformServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'movierec-rollouts-'));
  const world = generateSynthetic({ seed: 5, users: 60, movies: 40, interactions: 600, ratings: 600 });
  const lines = syntheticRecords(world).filter((r) => r.kind === 'rate');
  const data = join(dir, 'ratings.tsv');
  await writeFile(data, lines.map((r) => `${r.user}\t${r.movie}\t${r.value}\t${Math.floor(r.time / 1000)}`).join('\n'));
  for (const validation of ['0.1', '0.2']) {
    const trained = await runCli('train', '-i', data, '-f', 'movielens', '-a', 'popularity', '--validation', validation, '-o', join(dir, 'models'));
    if (trained.code !== 0) throw new Error(trained.stderr);
  }
  const versions = (await readdir(join(dir, 'models', 'popularity'))).sort();
  bundles = versions.map((v) => join(dir, 'models', 'popularity', v));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  memory = new MemoryPlatform();
  server = await startPlatformServer(memory);
});
afterEach(async () => {
  await server.close();
});

const version = (path: string) => path.split('/').at(-1) ?? '';

describe('movierec rollout / promote / rollback / status (local runtime)', () => {
  it('rolls out the first bundle as champion, a second as canary, promotes it, and status shows each step', async () => {
    const first = await runCli('rollout', bundles[0], '--to', server.url);
    expect(first).toEqual({ code: 0, stderr: '', stdout: `recommend-00001 serves ${version(bundles[0])} at 100 % as champion on ${server.url}\n` });

    const second = await runCli('rollout', bundles[1], '--percent', '25', '--to', server.url, '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({
      revision: 'recommend-00002',
      percent: 25,
      stage: 'canary',
      replaced: null,
      modelUri: bundles[1],
      modelVersion: version(bundles[1]),
      ready: true,
      waited: true,
    });
    expect(memory.calls).toEqual([
      { operation: 'deploy', request: { modelUri: bundles[0], percent: 100, tag: 'champion' } },
      { operation: 'deploy', request: { modelUri: bundles[1], percent: 25, tag: 'candidate' } },
    ]);

    const table = await runCli('status', '--to', server.url);
    expect(table.code).toBe(0);
    const rows = table.stdout.split('\n');
    expect(rows[0]).toBe(`recommend on ${server.url}`);
    expect(rows[1]).toMatch(/^ {2}REVISION\s+TAG\s+TRAFFIC\s+READY\s+MODEL\s+CREATED$/);
    expect(rows[2]).toMatch(new RegExp(`^  recommend-00001\\s+champion\\s+75 %\\s+yes\\s+${version(bundles[0])}\\s+\\d{4}-`));
    expect(rows[3]).toMatch(new RegExp(`^  recommend-00002\\s+candidate\\s+25 %\\s+yes\\s+${version(bundles[1])}\\s+\\d{4}-`));
    expect(rows[4]).toMatch(/^online metrics: not available \(http:\/\/127\.0\.0\.1:\d+\/online: HTTP 404\)$/);

    const promoted = await runCli('promote', '--to', server.url);
    expect(promoted).toMatchObject({ code: 0, stdout: 'recommend-00002 is the champion at 100 %; recommend-00001 is drained\n' });
    const status = await runCli('status', '--to', server.url, '--json');
    const parsed = JSON.parse(status.stdout) as { revisions: Array<{ name: string; percent: number; tag: string }>; online: unknown };
    expect(parsed.revisions.map((r) => [r.name, r.percent, r.tag])).toEqual([['recommend-00002', 100, 'champion']]);
    expect(parsed.online).toBeNull();
  });

  it('rolls a canary back: its share returns to the champion', async () => {
    await runCli('rollout', bundles[0], '--to', server.url);
    await runCli('rollout', bundles[1], '--to', server.url);
    const result = await runCli('rollback', '--to', server.url, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ revision: 'recommend-00002', champion: 'recommend-00001', percent: 0 });
    expect((await memory.describe()).revisions.map((r) => [r.name, r.percent])).toEqual([['recommend-00001', 100]]);
  });

  it('says there is nothing to promote or roll back without a canary (exit 1)', async () => {
    await runCli('rollout', bundles[0], '--to', server.url);
    expect(await runCli('promote', '--to', server.url)).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: nothing to promote on ${server.url}: no revision is tagged candidate (movierec rollout BUNDLE starts one)\n`,
    });
    expect((await runCli('rollback', '--to', server.url)).stderr).toBe(`error: nothing to roll back on ${server.url}: no canary next to a champion\n`);
  });

  it('waits until the revision is ready and serving, and times out with a clear message', async () => {
    memory = new MemoryPlatform({ readyOnDeploy: false });
    await server.close();
    server = await startPlatformServer(memory);
    const pending = runCli('rollout', bundles[0], '--to', server.url);
    await waitFor('the deploy', () => memory.calls.length === 1 || undefined, { timeoutMs: 10_000 });
    memory.markReady('recommend-00001');
    expect((await pending).code).toBe(0);

    const late = await runCli('rollout', bundles[1], '--to', server.url, '--timeout-seconds', '1');
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/^error: recommend-00002 is not ready after 1 s; it keeps starting in the background \(movierec status shows it\)\n$/);
  });

  it('checks the bundle before deploying: file: what is wrong, exit 1', async () => {
    const empty = join(dir, 'not-a-bundle');
    await mkdir(empty, { recursive: true });
    const result = await runCli('rollout', empty, '--to', server.url);
    expect(result).toEqual({ code: 1, stdout: '', stderr: `error: ${empty}: no bundle here (manifest.json not found)\n` });
    expect(memory.calls).toEqual([]);
  });

  it('names the URL and suggests movierec up when nothing answers (exit 1)', async () => {
    const result = await runCli('status', '--to', 'http://127.0.0.1:1');
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: cannot reach the serving platform at http://127.0.0.1:1; is it running? start it with `movierec up`\n',
    });
  });

  it.each([
    [['rollout', 'b', '--percent', '0'], /'0' is invalid\. expected a whole percent from 1 to 100/],
    [['rollout', 'b', '--percent', '101'], /'101' is invalid\. expected a whole percent from 1 to 100/],
    [['status', '--to', 'ftp://x'], /'ftp:\/\/x' is invalid\. expected an http\(s\) URL/],
    [['promote', '--to', 'http://127.0.0.1:1', '--kube'], /^error: --to and --kube name two different platforms: give one$/m],
    [['rollback', '--namespace', 'movierec'], /^error: --namespace needs --kube$/m],
    [['rollout'], /missing required argument 'bundle'/],
  ])('%j exits 2', async (argv, message) => {
    const result = await runCli(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it.each(['rollout', 'promote', 'rollback', 'status'])('%s --help has examples', async (command) => {
    const result = await runCli(command, '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: movierec ${command}`);
    expect(result.stdout).toMatch(new RegExp(`Examples:\\n  movierec ${command}`));
  });
});

describe('movierec status with online metrics and on a cluster', () => {
  let online: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (online === undefined ? resolve(undefined) : online.close(resolve)));
    online = undefined;
  });

  it('adds hit rate, served and p95 per revision from evaluate’s GET /online', async () => {
    await runCli('rollout', bundles[0], '--to', server.url);
    const report = {
      at: '2026-11-26T10:00:00.000Z',
      from: '2026-11-26T09:00:00.000Z',
      to: '2026-11-26T10:00:00.000Z',
      windowMinutes: 30,
      revisions: [{ revision: 'recommend-00001', modelVersion: version(bundles[0]), served: 1234, hits: 100, hitRate: 0.081, watchedMinutes: 5, ratings: 0, meanRating: null, fallbackShare: 0.1, latencyP50Ms: 2, latencyP95Ms: 7.25 }],
    };
    online = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(report)));
    await new Promise<void>((resolve) => online?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(online.address() as AddressInfo).port}/online`;
    const result = await runCli('status', '--to', server.url, '--online', url);
    expect(result.code).toBe(0);
    const rows = result.stdout.split('\n');
    expect(rows[1]).toMatch(/REVISION\s+TAG\s+TRAFFIC\s+READY\s+MODEL\s+CREATED\s+HIT RATE\s+SERVED\s+P95$/);
    expect(rows[2]).toMatch(/^ {2}recommend-00001\s+champion\s+100 %\s+yes\s+\S+\s+\S+\s+8\.1 %\s+1234\s+7\.3 ms$/);
    expect(rows[3]).toBe(`online metrics: evaluation at 2026-11-26T10:00:00.000Z (${url})`);
  });

  it('--kube reads the Knative Service through the Kubernetes API (replayed)', async () => {
    const fixtures = fileURLToPath(new URL('../../lib/rollout/fixtures/knative/', import.meta.url));
    const kube = await startKubeReplayServer(await loadExchanges(join(fixtures, 'describe.json')));
    try {
      const tokenFile = join(dir, 'token');
      await writeFile(tokenFile, 'fixture-token-1');
      const result = await runCli('status', '--kube', '--server', kube.url, '--token-file', tokenFile, '--namespace', 'movierec', '--json');
      expect(kube.mismatches).toEqual([]);
      expect(result.code).toBe(0);
      const parsed = JSON.parse(result.stdout) as { revisions: Array<{ name: string; percent: number }>; note: string };
      expect(parsed.revisions.map((r) => [r.name, r.percent])).toEqual([
        ['recommend-a1b2c3', 90],
        ['recommend-d4e5f6', 10],
        ['recommend-c0ffee', 0],
      ]);
      expect(parsed.note).toMatch(/^online metrics: not shown for a cluster without --online URL/);
    } finally {
      await kube.close();
    }
  });
});
