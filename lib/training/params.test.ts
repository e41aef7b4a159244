import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadParams, ParamsError, parseParams, prepareFromParams } from './params.js';
import { tempDir, testParamsYaml } from './test-helpers/training-fixtures.js';

const REPO_PARAMS = new URL('../../params.yaml', import.meta.url).pathname;

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir('params');
});
afterAll(async () => tmp.remove());

function errorOf(text: string): ParamsError {
  try {
    parseParams(text, 'params.yaml');
  } catch (error) {
    if (error instanceof ParamsError) return error;
    throw error;
  }
  throw new Error('expected a ParamsError');
}

describe('loadParams', () => {
  it("reads the repository's params.yaml: SVD and SVD++ with Surprise's factor counts, frozen", async () => {
    const params = await loadParams(REPO_PARAMS);
    expect(params).toMatchObject({
      algorithms: ['svd', 'svdpp'],
      windowDays: 14,
      validation: 0.1,
      k: 20,
      scale: { min: 1, max: 5 },
      minInteractions: 200,
      newDataThreshold: 1_000_000,
    });
    expect(prepareFromParams(params, 'svd').params).toMatchObject({ factors: 100, epochs: 20 });
    expect(prepareFromParams(params, 'svdpp').params).toMatchObject({ factors: 20, epochs: 20 });
    expect(Object.isFrozen(params)).toBe(true);
    expect(Object.isFrozen(params.algorithms)).toBe(true);
    expect(Object.isFrozen(params.hyperParameters.svd)).toBe(true);
  });

  it('fills defaults for an empty file and gives algorithms without a seed the run seed', () => {
    const params = parseParams('train:\n  seed: 9\n', 'p.yaml');
    expect(params).toMatchObject({ algorithms: ['svd', 'svdpp'], validation: 0.1, seed: 9, k: 20, newDataThreshold: 5000 });
    expect(prepareFromParams(params, 'svd').params.seed).toBe(9);
    expect(prepareFromParams(parseParams('algorithms:\n  svd: {seed: 3}\n', 'p.yaml'), 'svd').params.seed).toBe(3);
    expect(prepareFromParams(params, 'popularity').params).not.toHaveProperty('seed');
    expect(parseParams('', 'p.yaml').algorithms).toEqual(['svd', 'svdpp']);
  });

  it("ignores other readers' top-level sections", () => {
    expect(parseParams(`${testParamsYaml()}dvc:\n  anything: [1, 2]\n`, 'p.yaml').k).toBe(10);
  });

  it.each([
    ['a validation share of 1', 'train:\n  validation: 1\n', 'params.yaml: train.validation: validation must be in [0, 1)'],
    ['a misspelt field', 'train:\n  valdation: 0.1\n', 'params.yaml: train.valdation: unknown field'],
    ['an unknown algorithm to fit', 'train:\n  algorithms: [svd, knn]\n', 'params.yaml: train.algorithms.1: expected one of popularity, baseline, svd, svdpp, als'],
    ['no algorithm', 'train:\n  algorithms: []\n', 'params.yaml: train.algorithms: name at least one algorithm'],
    ['a fractional k', 'train:\n  k: 2.5\n', 'params.yaml: train.k: k must be a whole number'],
    ['a text threshold', 'train:\n  new_data_threshold: lots\n', 'params.yaml: train.new_data_threshold: new_data_threshold must be a number'],
    ['an upside-down scale', 'train:\n  scale: {min: 5, max: 1}\n', 'params.yaml: train.scale: scale.min must be below scale.max'],
    ['hyper-parameters of an unknown algorithm', 'algorithms:\n  knn: {k: 40}\n', 'params.yaml: algorithms.knn: unknown field'],
    ['a Surprise name the registry does not take', 'algorithms:\n  svd: {n_factors: 100}\n', 'params.yaml: algorithms.svd: svd has no hyper-parameter n_factors'],
    ['an out-of-range hyper-parameter', 'algorithms:\n  svdpp: {factors: 0}\n', 'params.yaml: algorithms.svdpp: svdpp: factors: factors must be at least 1'],
    ['a text hyper-parameter', 'algorithms:\n  svd: {lr: fast}\n', 'params.yaml: algorithms.svd.lr: expected a number'],
  ])('names the file and field for %s', (_, text, message) => {
    const error = errorOf(text);
    expect(error.message.startsWith(message), error.message).toBe(true);
    expect(error.file).toBe('params.yaml');
  });

  it('lists every bad field at once, hyper-parameters included', () => {
    const text = 'train:\n  k: 0\n  seed: -1\nalgorithms:\n  svd: {factors: 0}\n  svdpp: {epochs: many}\n  als: {alpha: 10}\n';
    expect(errorOf(text).fields).toEqual(['train.seed', 'train.k', 'algorithms.svdpp.epochs', 'algorithms.svd']);
  });

  it('says when the file is missing or is not YAML', async () => {
    const missing = join(tmp.dir, 'nope.yaml');
    await expect(loadParams(missing)).rejects.toThrow(`${missing}: file not found`);
    const broken = join(tmp.dir, 'broken.yaml');
    await writeFile(broken, 'train: [unclosed\n');
    await expect(loadParams(broken)).rejects.toThrow(new RegExp(`^${broken}: invalid YAML: `));
  });
});
