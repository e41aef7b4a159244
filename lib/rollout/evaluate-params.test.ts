import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { DEFAULT_CANARY, DEFAULT_GATE, loadEvaluateParams, parseEvaluateParams } from './evaluate-params.js';

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
    expect(await loadEvaluateParams(path)).toEqual({
      found: true,
      params: { gate: { rmseMargin: 0.02, ndcgMargin: 0.005, minRatings: 200 }, canary: DEFAULT_CANARY },
    });
  });

  it.each([
    ['no evaluate section', 'train:\n  svd: { factors: 8 }\n'],
    ['an empty evaluate section', 'evaluate:\n'],
    ['an empty gate', 'evaluate:\n  gate:\n'],
    ['an empty file', ''],
  ])('takes the defaults for %s', (_name, text) => {
    expect(parseEvaluateParams(text, 'params.yaml')).toEqual({ gate: DEFAULT_GATE, canary: DEFAULT_CANARY });
  });

  it('fills the keys a gate leaves out', () => {
    expect(parseEvaluateParams('evaluate:\n  gate:\n    min_ratings: 10\n', 'p.yaml').gate).toEqual({ ...DEFAULT_GATE, minRatings: 10 });
  });

  it('reads the canary section, filling the keys it leaves out', () => {
    const text = ['evaluate:', '  canary:', '    margin: 0.02', '    alpha: 0.01', '    steps: [5, 25, 50]', '    max_served: 5000', ''].join('\n');
    expect(parseEvaluateParams(text, 'p.yaml').canary).toEqual({ ...DEFAULT_CANARY, margin: 0.02, alpha: 0.01, steps: [5, 25, 50], maxServed: 5000 });
  });

  it('takes the defaults when the file does not exist, and says so', async () => {
    expect(await loadEvaluateParams(join(dir, 'absent.yaml'))).toEqual({ found: false, params: { gate: DEFAULT_GATE, canary: DEFAULT_CANARY } });
  });

  it.each([
    ['evaluate:\n  gate:\n    rmse_margin: lots\n', 'p.yaml: evaluate.gate.rmse_margin: expected a number'],
    ['evaluate:\n  gate:\n    ndcg_margin: -0.1\n', 'p.yaml: evaluate.gate.ndcg_margin: expected a number ≥ 0'],
    ['evaluate:\n  gate:\n    min_ratings: 2.5\n', 'p.yaml: evaluate.gate.min_ratings: expected a whole number'],
    ['evaluate:\n  gate:\n    rmse_margn: 0.1\n', 'p.yaml: evaluate.gate: unknown key(s) rmse_margn'],
    ['evaluate: [1, 2]\n', 'p.yaml: evaluate: expected a mapping'],
    ['evaluate:\n  canary:\n    alpha: 0\n', 'p.yaml: evaluate.canary.alpha: expected a number above 0 and at most 0.5'],
    ['evaluate:\n  canary:\n    margin: 2\n', 'p.yaml: evaluate.canary.margin: expected a number from 0 to 1'],
    ['evaluate:\n  canary:\n    min_served: 0\n', 'p.yaml: evaluate.canary.min_served: expected a whole number ≥ 1'],
    ['evaluate:\n  canary:\n    min_served: 500\n    max_served: 400\n', 'p.yaml: evaluate.canary.max_served: max_served must be at least min_served'],
    ['evaluate:\n  canary:\n    steps: [50, 10]\n', 'p.yaml: evaluate.canary.steps: expected increasing shares'],
    ['evaluate:\n  canary:\n    steps: [10, 100]\n', 'p.yaml: evaluate.canary.steps.1: expected a whole number from 1 to 99'],
    ['evaluate:\n  canary:\n    max_p95_ratio: 0.5\n', 'p.yaml: evaluate.canary.max_p95_ratio: expected a number ≥ 1'],
    ['evaluate:\n  canary:\n    p95_slack_ms: -1\n', 'p.yaml: evaluate.canary.p95_slack_ms: expected a number ≥ 0'],
    ['evaluate:\n  canary:\n    max_p95_latency_ms: fast\n', 'p.yaml: evaluate.canary.max_p95_latency_ms: expected a number'],
    ['evaluate:\n  canary:\n    min_sample: 10\n', 'p.yaml: evaluate.canary: unknown key(s) min_sample'],
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
    expect(loaded.params.canary.maxServed).toBeGreaterThanOrEqual(loaded.params.canary.minServed);
  });
});
