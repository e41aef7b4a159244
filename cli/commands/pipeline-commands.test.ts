import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallWorld, tempDir, testParamsYaml, writeWorld } from '../../lib/training/test-helpers/training-fixtures.js';
import { runCli } from '../test-helpers/run-cli.js';

let temp: Awaited<ReturnType<typeof tempDir>>;
let dir: (path: string) => string;

beforeAll(async () => {
  temp = await tempDir('cli-pipeline');
  dir = (path) => join(temp.dir, path);
  await writeWorld(dir('events'), smallWorld(Date.parse('2026-11-01T00:00:00Z')));
  await writeFile(dir('params.yaml'), testParamsYaml());
});
afterAll(async () => temp.remove());

describe('movierec snapshot → prepare → train → report → gate → lineage', () => {
  it('runs the pipeline by hand, each step --json, and traces the model back to its segments', async () => {
    const snapshot = await runCli('snapshot', '--events', dir('events'), '--out', dir('snapshot'), '--params', dir('params.yaml'), '--to', 'latest', '--json');
    expect(snapshot.code, snapshot.stderr).toBe(0);
    const snap: { contentHash: string; segments: unknown[]; counts: { records: Record<string, number> } } = JSON.parse(snapshot.stdout);
    expect(snap.segments.length).toBeGreaterThan(0);
    expect(snap.counts.records.watch).toBeGreaterThan(0);

    const prepare = await runCli('prepare', '--snapshot', dir('snapshot'), '--out', dir('prepared'), '--params', dir('params.yaml'), '--json');
    expect(prepare.code, prepare.stderr).toBe(0);
    expect(JSON.parse(prepare.stdout)).toMatchObject({ snapshot: { contentHash: snap.contentHash }, split: { validation: 0.2 } });

    const train = await runCli('train', '--prepared', dir('prepared'), '--params', dir('params.yaml'), '-a', 'svd', '-o', dir('models'), '--epochs', '4', '--history', dir('plots/loss.csv'), '--json');
    expect(train.code, train.stderr).toBe(0);
    const trained: { bundle: string; params: Record<string, number>; tag: { status: string } } = JSON.parse(train.stdout);
    // params.yaml's svd section (factors 8) and seed 7, the flag on top (epochs 4).
    expect(trained.params).toMatchObject({ factors: 8, epochs: 4, seed: 7 });
    expect(trained.tag.status).toBe('skipped');
    expect((await readFile(dir('plots/loss.csv'), 'utf8')).trim().split('\n')).toHaveLength(5);

    const report = await runCli('report', '--prepared', dir('prepared'), '--models', dir('models'), '-a', 'svd', '--metrics', dir('metrics/svd.json'), '--plots', dir('plots/ranking.csv'), '--params', dir('params.yaml'));
    expect(report.code, report.stderr).toBe(0);
    const metrics: { k: number; rmse: number; version: string } = JSON.parse(await readFile(dir('metrics/svd.json'), 'utf8'));
    expect(metrics.k).toBe(10);
    expect((await readFile(dir('plots/ranking.csv'), 'utf8')).split('\n')[0]).toBe('k,precision,recall,ndcg,hitRate');

    const gate = await runCli('gate', '--models', dir('models'), '--algorithms', 'svd', '--champion', trained.bundle, '--params', dir('params.yaml'), '--json');
    expect(gate.code, gate.stderr).toBe(0);
    expect(JSON.parse(gate.stdout)).toMatchObject({ passed: true, candidate: trained.bundle, champion: metrics.version });

    const lineage = await runCli('lineage', trained.bundle, '--events', dir('events'));
    expect(lineage.code, lineage.stderr).toBe(0);
    expect(lineage.stdout).toContain(`content sha256 ${snap.contentHash} ✓ matches the events store`);
    expect(lineage.stdout).toMatch(/params {3}factors=8 epochs=4/);
    expect(lineage.stdout).toMatch(/served {3}never served/);
  });
});

describe('usage', () => {
  it.each([
    ['train without data', ['train', '-a', 'svd', '-o', 'models'], /name the data: --input <path> or --prepared <dir>/],
    ['train --prepared with --validation', ['train', '--prepared', 'p', '-a', 'svd', '-o', 'm', '--validation', '0.2'], /--validation and --scale apply to --input/],
    ['snapshot without a window', ['snapshot', '--events', '.', '--out', 'x'], /name a window/],
    ['snapshot with a bad instant', ['snapshot', '--events', '.', '--out', 'x', '--from', 'yesterday', '--to', '2026-11-02'], /'yesterday' is invalid\. expected an ISO date/],
    ['lineage with a missing events store', ['lineage', 'models/x', '--events', '/nonexistent/events'], /--events \/nonexistent\/events: no such folder/],
    ['report without a model', ['report', '--prepared', 'p', '--metrics', 'm.json'], /name the model/],
  ])('%s exits 2 with a one-line error', async (_name, argv, message) => {
    const result = await runCli(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('a corrupt or absent input exits 1 naming the file', async () => {
    const result = await runCli('prepare', '--snapshot', dir('nothing'), '--out', dir('p2'), '--params', dir('params.yaml'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/snapshot\.json: not found/);
  });

  it.each(['snapshot', 'prepare', 'report', 'gate', 'lineage', 'pipeline'])('%s --help explains it with examples one per line', async (command) => {
    const { code, stdout } = await runCli(command, '--help');
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: movierec ${command}`);
    expect(stdout).toContain('--json');
    expect(stdout.slice(stdout.indexOf('Examples:'))).toMatch(new RegExp(`^Examples:\\n(  movierec ${command}[^\\n]*\\n?)+$`));
  });
});
