import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../lib/messaging/test-helpers/wait-for.js';
import type { UpProcess } from '../test-helpers/up-process.js';
import { startUp } from '../test-helpers/up-process.js';

/**
 * The main job, as a user runs it: `movierec up` (the built CLI, as `npm
 * start` runs it) with a small simulated audience. The first model is
 * trained from the audience's log lines and serves; then a revision change
 * (deploy at 50 %, then all traffic to it, the old one drained) happens while
 * clients hammer the ingress, and every answer is a 200 from a ready
 * revision. Ctrl-C (SIGINT) stops every process.
 */


interface Revision {
  name: string;
  modelUri: string;
  modelVersion: string | null;
  ready: boolean;
  percent: number;
  phase: string;
  pid: number | null;
}
interface Status {
  functions: Array<{ name: string; pid: number | null; ready: boolean }>;
  revisions: Revision[];
  models: number;
  sources: Array<{ kind: string; delivered?: number }>;
}

let up: UpProcess;
let child: ChildProcess;
let dataDir: string;
let url: string;
let exited: Promise<number | null>;

const status = async (): Promise<Status> => (await fetch(`${url}/status`)).json() as Promise<Status>;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids of live processes whose environment mentions `text` (Linux /proc). */
async function processesUsing(text: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    if (environ.includes(text)) found.push(Number(entry));
  }
  return found;
}

async function newestBundle(root: string, except: string): Promise<string | undefined> {
  const found: string[] = [];
  for (const algorithm of await readdir(root).catch(() => [])) {
    for (const version of await readdir(join(root, algorithm)).catch(() => [])) found.push(join(root, algorithm, version));
  }
  // Versions embed their creation time after the algorithm: sort by it.
  const byTime = found.filter((path) => path !== except).sort((a, b) => a.split('-').slice(1).join('-').localeCompare(b.split('-').slice(1).join('-')));
  return byTime.at(-1);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'movierec-up-'));
  up = await startUp(['--data-dir', dataDir, '--sim-users', '400', '--sim-movies', '150', '--sessions', '30', '--speed', '1', '--retrain-every', '3000']);
  ({ child, url, exited } = up);
});

afterAll(async () => {
  if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('movierec up', () => {
  it('serves personalised recommendations from the first trained model, and changes revision with no failed request', async () => {
    // The first model: trained from the audience's lines, promoted by evaluate, ready behind the ingress.
    const first = await waitFor(
      'a ready recommend revision with all the traffic',
      async () => (await status()).revisions.find((r) => r.ready && r.percent === 100),
      { timeoutMs: 120_000, everyMs: 250 },
    );
    expect(first.modelVersion).toMatch(/^(svd|svdpp)-/);
    const answer = await fetch(`${url}/recommend/7`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-revision')).toBe(first.name);
    expect(answer.headers.get('x-model-version')).toBe(first.modelVersion);
    const ids = (await answer.text()).split(',');
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    expect(ids.every((id) => /^[a-z0-9+%._-]+$/.test(id))).toBe(true);

    // Clients keep asking while the revision changes.
    const seen = new Map<string, number>();
    const failures: string[] = [];
    let running = true;
    const client = async (): Promise<void> => {
      let user = 1;
      while (running) {
        const response = await fetch(`${url}/recommend/${user++ % 500}`).catch((error: unknown) => error);
        if (!(response instanceof Response)) failures.push(String(response));
        else {
          await response.text();
          if (response.status !== 200) failures.push(`status ${response.status}`);
          const revision = response.headers.get('x-revision') ?? 'none';
          seen.set(revision, (seen.get(revision) ?? 0) + 1);
        }
      }
    };
    const clients = Array.from({ length: 4 }, client);

    // A second model appears as the audience keeps writing; roll it out by the platform API, as evaluate does.
    const next = await waitFor('a second trained bundle', () => newestBundle(join(dataDir, 'models'), first.modelUri), {
      timeoutMs: 120_000,
      everyMs: 500,
    });
    const deployed = await fetch(`${url}/platform/services/recommend/revisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ modelUri: next, percent: 50, tag: 'candidate' }),
    });
    expect(deployed.status).toBe(202);
    const { revision } = (await deployed.json()) as { revision: string };
    await waitFor('the new revision ready at 50 %', async () => (await status()).revisions.find((r) => r.name === revision && r.ready && r.percent === 50), {
      timeoutMs: 60_000,
      everyMs: 100,
    });
    await waitFor('answers from both revisions', () => (seen.get(revision) ?? 0) > 20 && (seen.get(first.name) ?? 0) > 20, { timeoutMs: 30_000 });
    const moved = await fetch(`${url}/platform/services/recommend/traffic`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ traffic: [{ revision, percent: 100, tag: 'champion' }] }),
    });
    expect(moved.status).toBe(200);
    await waitFor('the old revision drained and gone', async () => !(await status()).revisions.some((r) => r.name === first.name), {
      timeoutMs: 30_000,
      everyMs: 100,
    });
    const before = seen.get(revision) ?? 0;
    await waitFor('more answers from the new revision', () => (seen.get(revision) ?? 0) > before + 20, { timeoutMs: 30_000 });
    running = false;
    await Promise.all(clients);

    expect(failures).toEqual([]);
    expect([...seen.keys()].sort()).toEqual([first.name, revision].sort());
  });

  it('stops every process on Ctrl-C', async () => {
    const last = await status();
    const pids = [...last.functions.map((f) => f.pid), ...last.revisions.map((r) => r.pid)].filter((pid): pid is number => pid !== null);
    expect(pids.length).toBeGreaterThanOrEqual(4);
    // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
    expect(await exited).toBe(0);
    expect(up.stdout()).toContain('movierec: stopped');
    expect(pids.filter(alive)).toEqual([]);
    // Nothing restarted behind our back either: no process left whose environment points into the data dir.
    expect(await processesUsing(dataDir)).toEqual([]);
  });
});
