import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSynthetic, syntheticRecords } from '../../lib/data/synthetic.js';
import { sharedDataset, NO_DATASETS } from '../../lib/test-helpers/datasets.js';
import { runCli } from '../test-helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'movierec-cli-workflow-'));

// A small world written as MovieLens TSV: ratings only, one line per rated pair.
const world = generateSynthetic({ seed: 3, users: 300, movies: 120, interactions: 6000, ratings: 6000 });
const ratings = syntheticRecords(world).filter((r) => r.kind === 'rate');
const tsv = (rows: typeof ratings): string => rows.map((r) => `${r.user}\t${r.movie}\t${r.value}\t${Math.floor(r.time / 1000)}`).join('\n');
const trainFile = join(dir, 'train.tsv');
const testFile = join(dir, 'test.tsv');
writeFileSync(trainFile, tsv(ratings.filter((_, j) => j % 5 !== 0)));
writeFileSync(testFile, tsv(ratings.filter((_, j) => j % 5 === 0)));

describe('movierec evaluate', () => {
  it('--json prints exactly one JSON object with accuracy, ranking metrics and timings', async () => {
    const result = await runCli('evaluate', '--train', trainFile, '--test', testFile, '-f', 'movielens', '-a', 'svd', '--epochs', '5', '--json');
    expect(result.code).toBe(0);
    const out: Record<string, unknown> = JSON.parse(result.stdout);
    expect(out).toMatchObject({ algorithm: 'svd', nTrain: 4800, nTest: 1200, k: 20 });
    expect(out.params).toMatchObject({ factors: 100, epochs: 5, lr: 0.005, reg: 0.02 });
    for (const key of ['rmse', 'mae', 'precision', 'recall', 'ndcg', 'hitRate', 'fitSeconds', 'predictSeconds']) {
      expect(out[key], key).toEqual(expect.any(Number));
    }
    // A fitted SVD must beat predicting the middle of the scale.
    expect(out.rmse).toBeLessThan(1.2);
  });

  it('reports RMSE as n/a for a ranker, with its ranking metrics', async () => {
    const result = await runCli('evaluate', '--train', trainFile, '--test', testFile, '-a', 'als', '--factors', '8', '--epochs', '3');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/RMSE\s+n\/a/);
    expect(result.stdout).toMatch(/hit rate@20\s+0\.\d{4}/);
  });

  it('stops at a malformed line with file:line and no stack trace', async () => {
    const bad = join(dir, 'bad.tsv');
    writeFileSync(bad, '1\t1\t5\t874965758\n1\t2\tfive\t876893171\n');
    const result = await runCli('evaluate', '--train', bad, '--test', testFile, '-f', 'movielens', '-a', 'baseline');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: ${bad}:2: rating "five" is not a number\n`);
  });

  it('names a missing file plainly', async () => {
    const result = await runCli('evaluate', '--train', join(dir, 'nope.tsv'), '--test', testFile, '-a', 'svd');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/nope\.tsv: no such file or folder/);
  });

  const u1 = sharedDataset('ml-100k', 'u1.base');
  it.skipIf(u1 === undefined)(`matches Surprise on the official ML-100k fold u1 ${u1 === undefined ? NO_DATASETS : ''}`, async () => {
    const result = await runCli('evaluate', '--train', u1 ?? '', '--test', (u1 ?? '').replace('base', 'test'), '-a', 'svd', '--json');
    const out: Record<string, number> = JSON.parse(result.stdout);
    expect(out.nTrain).toBe(80_000);
    expect(out.nTest).toBe(20_000);
    expect(out.rmse).toBeGreaterThan(0.93);
    expect(out.rmse).toBeLessThan(0.96);
  });
});

describe('movierec train and recommend', () => {
  const models = join(dir, 'models');
  const data = join(dir, 'all.tsv');
  writeFileSync(data, tsv(ratings));

  async function trained(): Promise<{ bundle: string; version: string }> {
    const result = await runCli('train', '-i', data, '-a', 'svdpp', '--epochs', '4', '-o', models, '--json');
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  }

  it('writes a bundle with its manifest and offline metrics, and recommends unseen movies from it', async () => {
    const { bundle, version } = await trained();
    expect(bundle).toBe(join(models, 'svdpp', version));
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));
    expect(manifest.metrics.rmse).toEqual(expect.any(Number));
    expect(manifest.data.sources).toEqual([data]);

    const user = ratings[0].user;
    const result = await runCli('recommend', '--model', bundle, '--user', user);
    expect(result.code).toBe(0);
    const ids = result.stdout.trim().split(',');
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    const seen = new Set(ratings.filter((r) => r.user === user).map((r) => r.movie));
    expect(ids.filter((id) => seen.has(id))).toEqual([]);
    expect(result.stderr).toBe('');
  });

  it('answers an unknown user with popular movies and says so on stderr', async () => {
    const { bundle } = await trained();
    const result = await runCli('recommend', '--model', bundle, '--user', '424242', '-n', '5', '--json');
    expect(JSON.parse(result.stdout)).toMatchObject({ user: '424242', fallback: true });
    expect(JSON.parse(result.stdout).movies).toHaveLength(5);
  });

  it('refuses a bundle whose blob was altered, naming the blob', async () => {
    const { bundle } = await trained();
    const blob = readdirSync(bundle).find((f) => f.startsWith('qi.'));
    expect(blob).toBeDefined();
    const path = join(bundle, blob ?? '');
    const bytes = readFileSync(path);
    bytes[8] ^= 0xff;
    writeFileSync(path, bytes);
    const result = await runCli('recommend', '--model', bundle, '--user', ratings[0].user);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`${blob}.*sha256`));
    expect(result.stdout).toBe('');
  });

  it('says there is no bundle in an empty folder', async () => {
    const result = await runCli('recommend', '--model', dir, '--user', '1');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*(no bundle|manifest)/);
  });
});
