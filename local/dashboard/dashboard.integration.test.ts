import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/ops/logger.js';
import { rejectedEvent } from '../../lib/rollout/decision-events.js';
import { binaryMessage } from '../eventing/event-message.js';
import type { Ingress } from '../ingress.js';
import { createIngress } from '../ingress.js';
import type { RunningSystem } from '../system.js';
import { startSystem } from '../system.js';
import type { DashboardData } from './dashboard-data.js';
import { DashboardDataSchema } from './dashboard-data.js';
import { dashboardRoute } from './dashboard-route.js';
import { dashboardFixture } from './test-helpers/dashboard-fixture.js';

// Headless Debian chromium, driven by playwright-core; the real-runtime test runs the functions from dist/ (`npm run build` first).
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let profile: string;
let browser: BrowserContext;
let page: Page;
let ingress: Ingress | undefined;
let system: RunningSystem | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  profile = await mkdtemp(join(tmpdir(), 'movierec-chromium-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser.close();
  await rm(profile, { recursive: true, force: true });
});

afterEach(async () => {
  await page.close();
  await ingress?.close();
  ingress = undefined;
  await system?.stop();
  system = undefined;
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

/** A stand-in runtime: the dashboard route over whatever `current` holds, checked against the schema on every answer. */
async function standIn(initial: DashboardData): Promise<{ url: string; set(data: DashboardData): void }> {
  let current = initial;
  ingress = await createIngress({ port: 0, routes: [dashboardRoute(async () => DashboardDataSchema.parse(current), { pollMs: 500 })], logger: silentLogger });
  return { url: ingress.url, set: (data) => (current = data) };
}

const texts = (selector: string): Promise<string[]> => page.locator(selector).allInnerTexts();

describe('the dashboard page in headless chromium', () => {
  it('shows revisions, online charts with a series per revision, training, decisions with evidence and ingest — and a screenshot of it', async () => {
    const fixture = dashboardFixture(Date.now());
    const server = await standIn(fixture);
    page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    page.on('pageerror', (error) => failed.push(error.message));
    await page.goto(`${server.url}/`);
    await page.locator('table.revisions tbody tr').first().waitFor();

    const rows: string[][] = [];
    for (const row of await page.locator('table.revisions tbody tr').all()) rows.push((await row.locator('th, td').allInnerTexts()).map((text) => text.trim()));
    expect(rows).toEqual(fixture.revisions.map((r) => [r.name, r.tag ?? '–', `${r.percent} %`, '✓ ready', r.modelVersion ?? 'loading…']));
    expect(await page.locator('.traffic-bar .segment').evaluateAll((segments) => segments.map((s) => s.getAttribute('data-revision')))).toEqual(['recommend-00002', 'recommend-00003']);

    for (const chart of ['online-hit-rate', 'online-latency', 'online-served']) {
      const series = await page.locator(`[data-chart="${chart}"] g.series`).evaluateAll((gs) => gs.map((g) => g.getAttribute('data-series')));
      expect(series, chart).toEqual(fixture.revisions.map((r) => r.name));
      expect(await page.locator(`[data-chart="${chart}"] g.series path`).first().getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+){19}$/);
    }
    expect(await page.locator('[data-chart="ingest-rate"] g.series').count()).toBe(2);
    expect(await page.locator('table.training tbody tr').count()).toBe(fixture.training.length);
    // The training table says which model the offline gate passed and where each model serves.
    expect((await page.locator(`table.training tr[data-version="${fixture.training[0].version}"] td`).allInnerTexts()).slice(-2)).toEqual(['promoted', 'recommend-00003 10 %']);
    expect((await texts('table.rejects tbody th'))).toEqual(['bad timestamp', 'unknown request', 'rating out of range']);
    expect(await page.locator('[data-total="records"]').innerText()).toBe('183,412');

    // Decisions: closed at first; opening one shows its evidence lines.
    expect(await page.locator('ol.decisions > li').count()).toBe(fixture.decisions.length);
    const rejected = page.locator('details[data-id="offline/def"]');
    expect(await rejected.locator('.evidence-lines').isVisible()).toBe(false);
    await rejected.locator('summary').click();
    expect(await rejected.locator('.evidence-lines li').allInnerTexts()).toEqual(fixture.decisions[2].evidence);
    expect(await page.locator('.summary-text').allInnerTexts()).toEqual(fixture.decisions.map((d) => d.summary));

    // It stays open across a poll (wait for the next redraw).
    const stamp = await page.locator('body').getAttribute('data-generated-at');
    server.set({ ...fixture, generatedAt: new Date(Date.now() + 1000).toISOString() });
    await expect.poll(() => page.locator('body').getAttribute('data-generated-at'), { timeout: 10_000 }).not.toBe(stamp);
    expect(await page.locator('details[data-id="offline/def"] .evidence-lines').isVisible()).toBe(true);

    const shot = join(tmpdir(), 'movierec-dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = await readFile(shot);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.readUInt32BE(16)).toBe(1440);
    expect(png.readUInt32BE(20)).toBeGreaterThan(900);
    expect(png.length).toBeGreaterThan(50_000);
    expect(failed).toEqual([]);
  });

  it('updates live: a traffic move, a new revision and evaluate going down show up without a reload', async () => {
    const fixture = dashboardFixture(Date.now());
    const server = await standIn(fixture);
    page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.locator('table.revisions tbody tr').first().waitFor();
    expect(await texts('table.revisions [data-col="percent"]')).toEqual(['90 %', '10 %']);

    const moved: DashboardData = {
      ...fixture,
      revisions: [
        { ...fixture.revisions[0], percent: 50, tag: 'champion' },
        { ...fixture.revisions[1], percent: 50 },
        { ...fixture.revisions[1], name: 'recommend-00004', percent: 0, tag: null, ready: false, phase: 'starting', modelVersion: null },
      ],
      online: { available: false, reason: 'evaluate did not answer within 800 ms', reports: [] },
    };
    server.set(moved);
    await expect.poll(() => page.locator('table.revisions tbody tr').count(), { timeout: 10_000 }).toBe(3);
    expect(await texts('table.revisions [data-col="percent"]')).toEqual(['50 %', '50 %', '0 %']);
    expect(await texts('table.revisions [data-col="model"]')).toEqual([fixture.revisions[0].modelVersion, fixture.revisions[1].modelVersion, 'loading…']);
    expect(await page.locator('#online-body').innerText()).toContain('online evaluation: no data yet');
    expect(await page.locator('[data-chart^="online-"]').count()).toBe(0);
  });

  it('on the real runtime: waits for the first model, says evaluate has no online data, counts the stream and shows a decision sent to the Broker', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'movierec-dashboard-'));
    system = await startSystem({ port: 0, dataDir, speed: 1, env: {}, sim: null, logger: silentLogger });
    page = await browser.newPage();
    await page.goto(`${system.url}/`);
    await page.locator('[data-testid="health"]').waitFor();
    expect(await page.locator('#revisions-body').innerText()).toContain('waiting for the first model…');
    expect(await page.locator('#training-body').innerText()).toContain('waiting for the first model…');
    expect(await page.locator('#online-body').innerText()).toContain('online evaluation: no data yet');
    expect(await page.locator('[data-testid="health"]').innerText()).toBe('waiting for the first model…');

    const data = DashboardDataSchema.parse(await (await fetch(`${system.url}/dashboard/data`)).json());
    expect(data.system.functions.map((f) => f.name).sort()).toEqual(['evaluate', 'ingest', 'train']);

    await fetch(`${system.url}/streams/movielog`, { method: 'POST', body: '2022-03-18T06:12:47,326332,GET /data/m/ghostbusters+1984/54.mpg\n2022-03-28T04:00: 44,45314,GET /rate/x+1989=4\n' });
    await page.locator('[data-total="rejected"]', { hasText: /^1$/ }).waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-total="records"]').innerText()).toBe('2');
    expect(await page.locator('table.rejects tbody tr').count()).toBe(1);

    // An offline gate decision through the Broker (as evaluate sends it) reaches the decisions list with its evidence.
    const decision = binaryMessage(rejectedEvent({
      candidate: { version: 'svd-20261204T160000.000Z-5e6f7a8b', bundleUri: `file://${dataDir}/models/svd/x` },
      champion: null,
      evidence: [{ metric: 'rmse', candidate: 1.42, champion: null, margin: 0.01, n: 50, passed: false }],
      reason: 'worse than the popularity baseline',
    }));
    expect((await fetch(`${system.url}/movierec/default`, { method: 'POST', headers: decision.headers, body: decision.body })).status).toBe(202);
    const item = page.locator('ol.decisions details', { hasText: 'offline gate rejected svd-20261204T160000.000Z-5e6f7a8b' });
    await item.waitFor({ timeout: 10_000 });
    await item.locator('summary').click();
    expect(await item.locator('.evidence-lines li').allInnerTexts()).toEqual(['worse than the popularity baseline', 'rmse: candidate 1.42 vs no champion (margin 0.01, n = 50) — failed']);
  });
});
