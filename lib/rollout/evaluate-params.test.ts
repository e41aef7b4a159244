import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { DEFAULT_GATE, loadEvaluateParams, parseEvaluateParams } from './evaluate-params.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'movierec-params-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('evaluate params', () => {
  it('reads the gate from the evaluate section and ignores the other keys', async () => {
    const path = join(dir, 'params.yaml');
    await writeFile(
      path,
      ['train:', '  algorithms: [svd, svdpp]', '  svd: { factors: 64 }', 'evaluate:', '  gate:', '    rmse_margin: 0.02', '    ndcg_margin: 0.005', '    min_ratings: 200', ''].join('\n'),
    );
    expect(await loadEvaluateParams(path)).toEqual({ found: true, params: { gate: { rmseMargin: 0.02, ndcgMargin: 0.005, minRatings: 200 } } });
  });

  it.each([
    ['no evaluate section', 'train:\n  svd: { factors: 8 }\n'],
    ['an empty evaluate section', 'evaluate:\n'],
    ['an empty gate', 'evaluate:\n  gate:\n'],
    ['an empty file', ''],
  ])('takes the defaults for %s', (_name, text) => {
    expect(parseEvaluateParams(text, 'params.yaml')).toEqual({ gate: DEFAULT_GATE });
  });

  it('fills the keys a gate leaves out', () => {
    expect(parseEvaluateParams('evaluate:\n  gate:\n    min_ratings: 10\n', 'p.yaml').gate).toEqual({ ...DEFAULT_GATE, minRatings: 10 });
  });

  it('takes the defaults when the file does not exist, and says so', async () => {
    expect(await loadEvaluateParams(join(dir, 'absent.yaml'))).toEqual({ found: false, params: { gate: DEFAULT_GATE } });
  });

  it.each([
    ['evaluate:\n  gate:\n    rmse_margin: lots\n', 'p.yaml: evaluate.gate.rmse_margin: expected a number'],
    ['evaluate:\n  gate:\n    ndcg_margin: -0.1\n', 'p.yaml: evaluate.gate.ndcg_margin: expected a number ≥ 0'],
    ['evaluate:\n  gate:\n    min_ratings: 2.5\n', 'p.yaml: evaluate.gate.min_ratings: expected a whole number'],
    ['evaluate:\n  gate:\n    rmse_margn: 0.1\n', 'p.yaml: evaluate.gate: unknown key(s) rmse_margn'],
    ['evaluate: [1, 2]\n', 'p.yaml: evaluate: expected a mapping'],
    ['- a list\n', 'p.yaml: expected a mapping of sections at the top'],
    ['evaluate: {gate: [\n', 'p.yaml: not valid YAML'],
  ])('names the bad field: %j', (text, message) => {
    expect(() => parseEvaluateParams(text, 'p.yaml')).toThrow(InvalidArgumentError);
    expect(() => parseEvaluateParams(text, 'p.yaml')).toThrow(message);
  });
});

const PROJECT_PARAMS = fileURLToPath(new URL('../../params.yaml', import.meta.url));

describe.skipIf(!existsSync(PROJECT_PARAMS))('the project params.yaml', () => {
  it('holds an evaluate section evaluate starts with', async () => {
    const loaded = await loadEvaluateParams(PROJECT_PARAMS);
    expect(loaded.found).toBe(true);
    expect(loaded.params.gate.minRatings).toBeGreaterThanOrEqual(0);
  });
});
