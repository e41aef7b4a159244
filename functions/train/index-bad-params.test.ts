// Contract: a bad params file stops the function at start, as a bad configuration does (see index.test.ts for the set-up choice).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../lib/training/test-helpers/training-fixtures.js';
import { withEnv } from './test-helpers/env.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let restoreEnv: () => void;
let paramsFile: string;

beforeAll(async () => {
  tmp = await tempDir('train-bad-params');
  paramsFile = join(tmp.dir, 'params.yaml');
  await writeFile(paramsFile, 'train:\n  validation: 1.5\nalgorithms:\n  svd: {n_factors: 100}\n');
  restoreEnv = withEnv({ EVENTS_URI: join(tmp.dir, 'events'), MODELS_URI: join(tmp.dir, 'models'), PARAMS_FILE: paramsFile });
});

afterAll(async () => {
  restoreEnv();
  vi.restoreAllMocks();
  await tmp.remove();
});

describe('train with a bad params file (contract)', () => {
  it('logs one ERROR line naming the file and every bad field, and exits 1', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    const exit = vi.spyOn(process, 'exit').mockImplementation((code?: string | number | null) => {
      throw new Error(`exit ${String(code)}`);
    });
    await expect(import('./index.js')).rejects.toThrow('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    const logged = lines.map((line) => JSON.parse(line) as { severity: string; message: string; issues: string[] });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ severity: 'ERROR', message: 'train: invalid configuration' });
    expect(logged[0].issues).toEqual([
      `${paramsFile}: train.validation: validation must be in [0, 1); algorithms.svd: svd has no hyper-parameter n_factors (it takes: factors, epochs, lr, reg, initSd, seed)`,
    ]);
  });
});
