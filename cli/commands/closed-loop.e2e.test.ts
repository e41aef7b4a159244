import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishBundle } from '../../lib/artifacts/index.js';
import { waitFor } from '../../lib/messaging/test-helpers/wait-for.js';
import { createWorld } from '../../sim/world.js';
import type { UpProcess } from '../test-helpers/up-process.js';
import { startUp } from '../test-helpers/up-process.js';
import type { WorldBundleKind } from './test-helpers/world-bundle.js';
import { worldBundle } from './test-helpers/world-bundle.js';

/**
 * The loop closes by itself: `movierec up` (the built CLI) with its simulated
 * audience and no retraining of its own; we hand it three models of the
 * audience's world — a champion that ranks by movie bias alone, a better
 * candidate that knows every user's hidden taste, and a worse one that ranks
 * at random — and deploy each candidate at 10 %, as `movierec rollout` does.
 * evaluate's online evaluation and canary analysis must promote the better
 * one and roll the worse one back without help, and Slack (a local receiver
 * playing the webhook) must hear of both.
 *
 * The attribution window is 15 s (`--online-window 0.25`) and the evaluation
 * PingSource fires every 10 s (a copy of knative/base with that schedule), so
 * each decision takes about a minute instead of hours.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const USERS = 600;
const MOVIES = 200;
const SEED = 3;

interface Revision {
  name: string;
  modelUri: string;
  ready: boolean;
  percent: number;
  tag: string | null;
}
interface Status {
  functions: Array<{ name: string; url: string | null }>;
  revisions: Revision[];
}
interface Decision {
  verdict: string;
  candidate: { revision: string };
  evidence: string[];
}

let up: UpProcess;
let dir: string;
let url: string;
let slack: Server;
const notices: string[] = [];
const bundles = new Map<WorldBundleKind, string>();

const status = async (): Promise<Status> => (await fetch(`${url}/status`)).json() as Promise<Status>;

async function deploy(kind: WorldBundleKind, percent: number, tag: 'champion' | 'candidate'): Promise<string> {
  const response = await fetch(`${url}/platform/services/recommend/revisions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ modelUri: bundles.get(kind), percent, tag }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { revision: string }).revision;
}

async function decisions(): Promise<Decision[]> {
  const evaluate = (await status()).functions.find((f) => f.name === 'evaluate');
  if (evaluate?.url == null) return [];
  const response = await fetch(`${evaluate.url}/online`).catch(() => undefined);
  return response?.ok === true ? ((await response.json()) as { decisions: Decision[] }).decisions : [];
}

/**
 * A copy of knative/base whose evaluation PingSource ticks every minute of
 * the --speed clock (--online-window 0.25 makes the window 15 s), without the new-data
 * Trigger: train never runs, so the only candidates are ours.
 */
async function fastManifests(): Promise<string> {
  const manifests = join(dir, 'manifests');
  await cp(join(ROOT, 'knative', 'base'), manifests, { recursive: true });
  const triggers = join(manifests, 'triggers.yaml');
  const documents = (await readFile(triggers, 'utf8')).split(/^---$/m);
  await writeFile(triggers, documents.filter((doc) => !doc.includes('type: io.movierec.data.appended.v1')).join('---'));
  const pings = join(manifests, 'ping-sources.yaml');
  await writeFile(pings, (await readFile(pings, 'utf8')).replace('schedule: "*/5 * * * *"', 'schedule: "* * * * *"'));
  return manifests;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'movierec-loop-'));
  slack = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      notices.push(body);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));

  const world = createWorld({ seed: SEED, users: USERS, movies: MOVIES });
  for (const kind of ['bias', 'taste', 'random'] as const) {
    const { key } = await publishBundle(join(dir, 'models'), worldBundle(world, kind));
    bundles.set(kind, join(dir, 'models', key));
  }

  const manifests = await fastManifests();
  up = await startUp(
    ['--data-dir', join(dir, 'data'), '--manifests', manifests, '--sim-users', String(USERS), '--sim-movies', String(MOVIES), '--seed', String(SEED),
      '--sessions', '8', '--speed', '6', '--online-window', '0.25'],
    { ...process.env, SLACK_WEBHOOK_URL: `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T0/B0/test` },
  );
  url = up.url;
});

afterAll(async () => {
  await up?.stop();
  await new Promise((resolve) => slack.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('the closed loop in the simulated world', () => {
  it('promotes a better candidate and rolls a worse one back, on its own, and tells Slack', async () => {
    const champion = await deploy('bias', 100, 'champion');
    await waitFor('the bias-only champion serving', async () => (await status()).revisions.find((r) => r.name === champion && r.ready && r.percent === 100), {
      timeoutMs: 60_000,
      everyMs: 250,
    });

    const better = await deploy('taste', 10, 'candidate');
    const promoted = await waitFor(
      'the taste-aware candidate promoted to champion',
      async () => (await status()).revisions.find((r) => r.name === better && r.tag === 'champion' && r.percent === 100),
      { timeoutMs: 240_000, everyMs: 500 },
    );
    expect(promoted.modelUri).toBe(bundles.get('taste'));
    await waitFor('the old champion drained', async () => !(await status()).revisions.some((r) => r.name === champion), { timeoutMs: 60_000, everyMs: 250 });

    const worse = await deploy('random', 10, 'candidate');
    await waitFor('the random candidate serving its 10 %', async () => (await status()).revisions.find((r) => r.name === worse && r.ready && r.percent > 0), {
      timeoutMs: 60_000,
      everyMs: 250,
    });
    await waitFor('the random candidate rolled back', async () => !(await status()).revisions.some((r) => r.name === worse), { timeoutMs: 240_000, everyMs: 500 });
    const after = (await status()).revisions;
    expect(after.map((r) => [r.name, r.percent, r.tag])).toEqual([[better, 100, 'champion']]);

    // The decisions, with their evidence, as evaluate recorded them.
    const made = await decisions();
    const final = (revision: string) => made.filter((d) => d.candidate.revision === revision && d.verdict !== 'hold').at(-1);
    expect(final(better)?.verdict).toBe('promote');
    expect(final(worse)?.verdict).toBe('roll-back');
    expect(final(worse)?.evidence.join(' ')).toMatch(/hit rate/i);

    // Slack heard of both, in Block Kit.
    await waitFor('both notices at the Slack receiver', () => notices.some((n) => /promot/i.test(n)) && notices.some((n) => /roll(ed)?[ -]?back/i.test(n)), {
      timeoutMs: 30_000,
    });
    for (const notice of notices) expect(JSON.parse(notice)).toHaveProperty('blocks');
  });
});
