import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../lib/messaging/test-helpers/wait-for.js';
import { silentLogger } from '../lib/ops/logger.js';
import { defaultManifestsFolder } from './manifests/load-manifests.js';
import type { RunningSystem } from './system.js';
import { startSystem } from './system.js';

// Runs the functions from dist/: `npm run build` first (npm test does).
let system: RunningSystem | undefined;
let dir: string;

afterEach(async () => {
  await system?.stop();
  system = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('startSystem', () => {
  it('runs a copy of the manifests from anywhere, with the functions of this package, and reports them in /status', async () => {
    dir = await mkdtemp(join(tmpdir(), 'movierec-system-'));
    const manifests = join(dir, 'my-overlay');
    await cp(defaultManifestsFolder(), manifests, { recursive: true });
    system = await startSystem({ port: 0, dataDir: join(dir, 'data'), manifests, speed: 1, env: {}, sim: null, logger: silentLogger });

    const response = await fetch(`${system.url}/status`);
    expect(response.status).toBe(200);
    const status = (await response.json()) as { functions: Array<{ name: string; ready: boolean }>; revisions: unknown[]; channel: string };
    expect(status.functions.map((f) => [f.name, f.ready]).sort()).toEqual([
      ['evaluate', true],
      ['ingest', true],
      ['train', true],
    ]);
    expect(status.revisions).toEqual([]);
    expect(status.channel).toBe('memory');
    const recommend = await fetch(`${system.url}/recommend/42`);
    expect(recommend.status).toBe(503);
    expect(await recommend.text()).toContain('no model serving yet');
    // The stream reaches ingest and its counts come back through /status.
    await fetch(`${system.url}/streams/movielog`, { method: 'POST', body: '2022-03-18T06:12:47,326332,GET /data/m/ghostbusters+1984/54.mpg\n2022-03-28T04:00: 44,45314,GET /rate/x+1989=4\n' });
    const ingest = await waitFor('ingest to count both lines', async () => {
      const counts = ((await (await fetch(`${system?.url}/status`)).json()) as { ingest: { records: number; rejected: number } | null }).ingest;
      return counts !== null && counts.records >= 2 ? counts : undefined;
    }, { timeoutMs: 20_000, everyMs: 50 });
    expect(ingest.rejected).toBe(1);
  });
});
