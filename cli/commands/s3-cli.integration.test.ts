import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../lib/artifacts/s3-blob-store.js';
import type { LocalS3 } from '../../lib/artifacts/test-helpers/s3-server.js';
import { S3RVER_CREDENTIALS, startLocalS3 } from '../../lib/artifacts/test-helpers/s3-server.js';
import { generateSynthetic, syntheticRecords } from '../../lib/data/synthetic.js';
import { withEnv } from '../../lib/ops/test-helpers/with-env.js';
import { runCli } from '../test-helpers/run-cli.js';

// The CLI against object storage, configured only as a user would: the AWS
// variables (credentials through the SDK's default chain) and S3_FORCE_PATH_STYLE.
let s3: LocalS3;
let restoreEnv: () => void;
beforeAll(async () => {
  s3 = await startLocalS3(['data', 'models']);
  restoreEnv = withEnv({
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  });
  const world = generateSynthetic({ seed: 5, users: 200, movies: 80, interactions: 3000, ratings: 3000 });
  const ratings = syntheticRecords(world).filter((r) => r.kind === 'rate');
  const tsv = (rows: typeof ratings) => Buffer.from(rows.map((r) => `${r.user}\t${r.movie}\t${r.value}\t${Math.floor(r.time / 1000)}\n`).join(''));
  const data = new S3BlobStore('s3://data', s3.settings);
  await data.put('ml/u1.base', tsv(ratings.filter((_, j) => j % 5 !== 0)));
  await data.put('ml/u1.test', tsv(ratings.filter((_, j) => j % 5 === 0)));
  await data.put('one/ratings.tsv', tsv(ratings));
});
afterAll(async () => {
  restoreEnv();
  await s3.close();
});

describe('movierec with s3:// URIs (s3rver)', () => {
  it('train reads an object and writes the bundle to s3://; recommend serves from it', async () => {
    const trained = await runCli('train', '-i', 's3://data/one/ratings.tsv', '-f', 'movielens', '-a', 'svd', '--epochs', '3', '-o', 's3://models/root', '--json');
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    const out: { bundle: string; version: string; data: { sources: string[] } } = JSON.parse(trained.stdout);
    expect(out.bundle).toBe(`s3://models/root/svd/${out.version}`);
    expect(out.data.sources).toEqual(['s3://data/one/ratings.tsv']);
    const objects = await new S3BlobStore(out.bundle, s3.settings).list('');
    expect(objects).toContain('manifest.json');

    const answer = await runCli('recommend', '--model', out.bundle, '--user', '1', '-n', '5', '--json');
    expect(answer.code).toBe(0);
    const recommended: { movies: string[]; model: string; fallback: boolean } = JSON.parse(answer.stdout);
    expect(recommended.model).toBe(out.version);
    expect(recommended.fallback).toBe(false);
    expect(recommended.movies).toHaveLength(5);
  });

  it('evaluate reads train and test from s3:// objects; train reads a prefix as a folder', async () => {
    const evaluated = await runCli('evaluate', '--train', 's3://data/ml/u1.base', '--test', 's3://data/ml/u1.test', '-f', 'movielens', '-a', 'baseline', '--json');
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.stdout)).toMatchObject({ algorithm: 'baseline', train: { path: 's3://data/ml/u1.base' } });
    const trained = await runCli('train', '-i', 's3://data/ml', '-f', 'movielens', '-a', 'baseline', '-o', 's3://models/prefix', '--json');
    expect(trained.code).toBe(0);
    expect(JSON.parse(trained.stdout).data.sources).toEqual(['s3://data/ml/u1.base', 's3://data/ml/u1.test']);
  });

  it('says plainly what is missing: a bundle, an input, a bad URI', async () => {
    const noBundle = await runCli('recommend', '--model', 's3://models/root/svd/absent', '--user', '1');
    expect(noBundle.code).toBe(1);
    expect(noBundle.stderr).toBe('error: s3://models/root/svd/absent: no bundle here (manifest.json not found)\n');
    const noInput = await runCli('train', '-i', 's3://data/nothing-here', '-a', 'svd', '-o', 's3://models/root');
    expect(noInput.code).toBe(1);
    expect(noInput.stderr).toBe('error: s3://data/nothing-here: no such object, and no objects under this prefix\n');
    const badUri = await runCli('recommend', '--model', 's3://No_Such/bucket', '--user', '1');
    expect(badUri.code).toBe(2);
    expect(badUri.stderr).toMatch(/^error: invalid object-store URI: bucket name "No_Such" may hold only/);
  });
});
