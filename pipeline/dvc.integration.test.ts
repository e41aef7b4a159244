import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DvcStage } from '../lib/pipeline/dvc-stages.js';
import { dvcStages, hasParam } from '../lib/pipeline/dvc-stages.js';
import { smallWorld, tempDir, writeWorld } from '../lib/training/test-helpers/training-fixtures.js';
import { fileHashes, filesUnder, isUnder } from './test-helpers/folder-files.js';

/**
 * dvc.yaml, checked the way DVC would run it (DVC is not installable here):
 * every stage's cmd runs in order, through the built CLI as `movierec`, each
 * in a fresh folder holding only its declared deps (and params.yaml when it
 * declares params). A stage that reads anything undeclared fails there; the
 * files it leaves must be exactly its declared outs, metrics and plots, and
 * its deps must be untouched.
 */
const repo = resolve(import.meta.dirname, '..');
const cli = join(repo, 'dist/cli/main.js');
const run = promisify(execFile);
const EXTERNAL_INPUTS = ['.movierec/events'];

let temp: { dir: string; remove(): Promise<void> };
let work: string;
let env: NodeJS.ProcessEnv;
let stages: DvcStage[];
let paramsText: string;
const ran = new Map<string, { readonly stdout: string; readonly stderr: string; readonly produced: readonly string[] }>();

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  temp = await tempDir('dvc');
  work = join(temp.dir, 'work');
  const bin = join(temp.dir, 'bin');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'movierec'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
  await chmod(join(bin, 'movierec'), 0o755);
  env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
  paramsText = await readFile(join(repo, 'params.yaml'), 'utf8');
  stages = dvcStages(await readFile(join(repo, 'dvc.yaml'), 'utf8'), paramsText);
  // The events store `movierec up` leaves: a synthetic world's course lines, stored by the events writer.
  await writeWorld(join(work, '.movierec/events'), smallWorld(Date.parse('2026-11-01T00:00:00Z')));
  await writeFile(join(work, 'params.yaml'), paramsText);
});

afterAll(async () => {
  await temp?.remove();
});

describe('dvc.yaml', () => {
  it('names the stages snapshot → prepare → train and evaluate per params.yaml algorithm', () => {
    const algorithms = ['svd', 'svdpp'];
    expect(paramsText).toMatch(/algorithms: \[svd, svdpp\]/);
    expect(stages.map((s) => s.name)).toEqual(['snapshot', 'prepare', ...algorithms.map((a) => `train@${a}`), ...algorithms.map((a) => `evaluate@${a}`)]);
    for (const stage of stages) expect(stage.cmd, stage.name).toMatch(/^movierec (snapshot|prepare|train|report) /);
  });

  it('names only params that params.yaml holds', () => {
    for (const stage of stages) for (const key of stage.params) expect(hasParam(paramsText, key), `${stage.name}: ${key}`).toBe(true);
  });

  it('has every dep produced by an earlier stage or an external input, and every output owned by one stage', () => {
    const produced: string[] = [];
    for (const stage of stages) {
      for (const dep of stage.deps) expect(EXTERNAL_INPUTS.includes(dep) || produced.some((out) => isUnder(dep, out)), `${stage.name} dep ${dep}`).toBe(true);
      const outputs = [...stage.outs, ...stage.metrics, ...stage.plots];
      for (const out of outputs) expect(produced.some((other) => isUnder(out, other) || isUnder(other, out)), `${stage.name} out ${out}`).toBe(false);
      produced.push(...outputs);
    }
  });

  it('runs every stage with only its deps present, producing exactly its declared outputs', async () => {
    for (const [n, stage] of stages.entries()) {
      const dir = join(temp.dir, `stage-${n}`);
      await mkdir(dir, { recursive: true });
      for (const dep of stage.deps) await cp(join(work, dep), join(dir, dep), { recursive: true });
      if (stage.params.length > 0) await cp(join(work, 'params.yaml'), join(dir, 'params.yaml'));
      const before = await fileHashes(dir);
      const { stdout, stderr } = await run('sh', ['-c', stage.cmd], { cwd: dir, env }).catch((error: unknown) => {
        throw new Error(`${stage.name} failed: ${stage.cmd}\n${error instanceof Error ? error.message : String(error)}`);
      });
      const after = await fileHashes(dir);
      for (const [file, hash] of before) expect(after.get(file), `${stage.name} changed its input ${file}`).toBe(hash);
      const outputs = [...stage.outs, ...stage.metrics, ...stage.plots];
      const produced = [...after.keys()].filter((file) => !before.has(file));
      for (const file of produced) expect(outputs.some((out) => isUnder(file, out)), `${stage.name} wrote undeclared ${file}`).toBe(true);
      for (const out of outputs) expect(produced.some((file) => isUnder(file, out)), `${stage.name} did not write ${out}`).toBe(true);
      for (const out of outputs) await cp(join(dir, out), join(work, out), { recursive: true });
      ran.set(stage.name, { stdout, stderr, produced });
    }
    expect([...ran.keys()]).toEqual(stages.map((s) => s.name));
  });

  it('leaves metrics that parse, plots with their columns, and bundles that name the snapshot', async () => {
    const snapshot: { contentHash: string; segments: unknown[] } = JSON.parse(await readFile(join(work, 'data/snapshot/snapshot.json'), 'utf8'));
    expect(snapshot.segments.length).toBeGreaterThan(0);
    for (const stage of stages) {
      for (const file of stage.metrics) {
        const metrics: Record<string, unknown> = JSON.parse(await readFile(join(work, file), 'utf8'));
        expect(metrics).toMatchObject({ k: 20, rmse: expect.any(Number), ndcg: expect.any(Number), hitRate: expect.any(Number) });
        expect(metrics.rmse).toBeLessThan(2);
      }
      for (const file of stage.plots) {
        const [header, ...rows] = (await readFile(join(work, file), 'utf8')).trim().split('\n');
        expect(header, file).toMatch(/^(epoch,loss|k,precision,recall,ndcg,hitRate)$/);
        expect(rows.length, file).toBeGreaterThan(0);
        for (const row of rows) expect(row.split(',').every((cell) => cell === '' || Number.isFinite(Number(cell))), `${file}: ${row}`).toBe(true);
      }
    }
    for (const file of await filesUnder(join(work, 'models'))) {
      if (!file.endsWith('manifest.json')) continue;
      const manifest: { data: { contentHash: string; window: unknown; segments: unknown[] } } = JSON.parse(await readFile(join(work, 'models', file), 'utf8'));
      expect(manifest.data.contentHash).toBe(snapshot.contentHash);
      expect(manifest.data.segments).toEqual(snapshot.segments);
    }
  });

  it('tells that a model published outside a git checkout is not tagged', () => {
    expect(ran.get('train@svd')?.stderr).toMatch(/note: not tagged: .* is not inside a git checkout/);
  });
});
