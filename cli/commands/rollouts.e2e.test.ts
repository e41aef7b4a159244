import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic, syntheticRecords } from '../../lib/data/synthetic.js';
import { waitFor } from '../../lib/messaging/test-helpers/wait-for.js';
import type { LoadSample } from '../test-helpers/paced-load.js';
import { startPacedLoad } from '../test-helpers/paced-load.js';
import type { UpProcess } from '../test-helpers/up-process.js';
import { startUp } from '../test-helpers/up-process.js';
import type { Poll, StatusRevision } from '../test-helpers/readiness-history.js';
import { notReadyReason, revisionWindows } from '../test-helpers/readiness-history.js';
import { runCli } from '../test-helpers/run-cli.js';

/**
 * Zero downtime, proved on the real system: `movierec up` (the built CLI,
 * `--no-sim`), constant load at the ingress (250 requests/s offered over
 * keep-alive, at most 48 in flight — paced-load.ts), and meanwhile 5
 * rollout-and-promote cycles and 2 rollout-and-rollback cycles made with the
 * `rollout`, `promote` and `rollback` commands (in-process, as
 * cli-workflow.test.ts runs the CLI). The achieved rate and the wall time are
 * reported as a test annotation, not asserted (timings belong in bench/).
 * Every request must get a 200, and each answer's `X-Revision` must be a
 * revision that was ready at that time — checked against `/status` polled
 * throughout (readiness-history.ts says how). The evaluation and retrain
 * schedules are left out of the manifests (a copy of knative/base without its
 * PingSources): every traffic decision in this test is made by hand.
 */

declare module 'vitest' {
  interface TaskMeta {
    rolloutFigures?: string;
  }
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RATE = 250;
const STEPS = ['promote', 'promote', 'rollback', 'promote', 'promote', 'rollback', 'promote'] as const;

let dir: string;
let up: UpProcess;
let url: string;
let bundles: string[];

/** The CLI in-process (as cli-workflow.test.ts runs it): its stdout, or the error it printed. */
async function cli(...args: string[]): Promise<string> {
  const result = await runCli(...args);
  if (result.code !== 0) throw new Error(`movierec ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

async function status(): Promise<StatusRevision[]> {
  const body = (await (await fetch(`${url}/status`)).json()) as { revisions: StatusRevision[] };
  return body.revisions;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'movierec-rollouts-e2e-'));
  const world = generateSynthetic({ seed: 11, users: 200, movies: 80, interactions: 3000, ratings: 3000 });
  const rated = syntheticRecords(world).filter((r) => r.kind === 'rate');
  const data = join(dir, 'ratings.tsv');
  await writeFile(data, rated.map((r) => `${r.user}\t${r.movie}\t${r.value}\t${Math.floor(r.time / 1000)}`).join('\n'));
  for (let i = 0; i <= STEPS.length; i++) {
    const trained = await runCli('train', '-i', data, '-f', 'movielens', '-a', 'svd', '--factors', '8', '--epochs', '2', '--seed', String(i), '-o', join(dir, 'models'));
    if (trained.code !== 0) throw new Error(trained.stderr);
  }
  bundles = (await readdir(join(dir, 'models', 'svd'))).sort().map((v) => join(dir, 'models', 'svd', v));

  // The packaged manifests without the PingSources: no scheduled evaluation races the decisions made here.
  const manifests = join(dir, 'manifests');
  await cp(join(ROOT, 'knative', 'base'), manifests, { recursive: true });
  const kustomization = await readFile(join(manifests, 'kustomization.yaml'), 'utf8');
  await writeFile(join(manifests, 'kustomization.yaml'), kustomization.replace(/^\s*- ping-sources\.yaml\s*$/m, ''));

  up = await startUp(['--data-dir', join(dir, 'data'), '--no-sim', '--manifests', manifests]);
  url = up.url;
});

afterAll(async () => {
  await up?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('rollouts under load', () => {
  it('answers every request with 200 from a ready revision through 5 promotions and 2 rollbacks', async ({ annotate, task }) => {
    const began = performance.now();
    expect(await cli('rollout', bundles[0], '--to', url)).toMatch(/^recommend-\d+ serves svd-\S+ at 100 % as champion on /);

    const polls: Poll[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const start = performance.now();
        const revisions = await status().catch(() => undefined);
        if (revisions !== undefined) polls.push({ start, end: performance.now(), revisions });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const load = startPacedLoad(url, RATE, (i) => `/recommend/${(i * 7919) % 260}`);
    const answered = (revision: string) => load.samples.filter((s: LoadSample) => s.revision === revision).length;

    const decisions: string[] = [];
    let final: StatusRevision;
    let achieved: { readonly seconds: number; readonly perSecond: number };
    try {
      for (const [i, step] of STEPS.entries()) {
        const rolled = JSON.parse(await cli('rollout', bundles[i + 1], '--percent', '20', '--to', url, '--json')) as { revision: string; stage: string };
        expect(rolled.stage).toBe('canary');
        await waitFor(`answers from ${rolled.revision}`, () => answered(rolled.revision) >= 20, { timeoutMs: 30_000, everyMs: 20 });
        const moved = JSON.parse(await cli(step, '--to', url, '--json')) as { revision: string };
        expect(moved.revision).toBe(rolled.revision);
        decisions.push(`${step} ${rolled.revision}`);
      }
      final = await waitFor(
        'one champion left, the others drained',
        async () => {
          const revisions = (await status()).filter((r) => r.phase !== 'failed');
          return revisions.length === 1 ? revisions[0] : undefined;
        },
        { timeoutMs: 60_000, everyMs: 100 },
      );
      const lastName = final.name;
      const before = answered(lastName);
      await waitFor('answers after the last drain', () => answered(lastName) >= before + 100, { timeoutMs: 30_000 });
    } finally {
      achieved = await load.stop();
      polling = false;
      await poller;
    }
    const { seconds, perSecond } = achieved;

    const samples = load.samples;
    const failed = samples.filter((s) => s.status !== 200);
    const windows = revisionWindows(polls);
    const notReady = samples.flatMap((s) => notReadyReason(windows, s.revision, s.start, s.end) ?? []);
    const served = new Set(samples.map((s) => s.revision));
    const wall = (performance.now() - began) / 1000;
    const latencies = samples.map((s) => s.end - s.start).sort((a, b) => a - b);
    const quantile = (q: number) => (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(0);
    const figures =
      `${samples.length} requests in ${seconds.toFixed(1)} s at ${perSecond.toFixed(0)} req/s (${RATE} offered); ` +
      `latency p50 ${quantile(0.5)} ms, p99 ${quantile(0.99)} ms; ${failed.length} errors; ` +
        `${served.size} revisions answered; ${polls.length} status polls; test wall time ${wall.toFixed(1)} s; ${decisions.join(', ')}`;
    // In the reporters (annotate) and in `--reporter=json` output (meta), for the record: not asserted.
    task.meta.rolloutFigures = figures;
    await annotate(figures);

    expect(failed.slice(0, 5)).toEqual([]);
    expect(notReady.slice(0, 5)).toEqual([]);
    expect(decisions.filter((d) => d.startsWith('promote'))).toHaveLength(5);
    expect(decisions.filter((d) => d.startsWith('rollback'))).toHaveLength(2);
    // Every revision rolled out took requests (the first champion and the 7 canaries).
    expect(served.size).toBe(STEPS.length + 1);
    expect(final).toMatchObject({ phase: 'ready', percent: 100, tag: 'champion' });
    const lastPromoted = decisions.filter((d) => d.startsWith('promote')).at(-1)?.split(' ')[1];
    expect(final.name).toBe(lastPromoted);
  });

  it('stops cleanly on Ctrl-C', async () => {
    if (up.child.pid !== undefined) process.kill(-up.child.pid, 'SIGINT');
    expect(await up.exited).toBe(0);
    expect(up.stdout()).toContain('movierec: stopped');
  });
});
