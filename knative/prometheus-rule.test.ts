import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { PrometheusRuleSchema } from './schemas/monitoring.js';
import { REPO_ROOT } from './test-helpers/kustomize.js';

/**
 * knative/base/monitoring/prometheus-rule.yaml carries exactly the groups of
 * monitoring/prometheus/rules.yml (none while that file does not exist), and
 * scripts/sync-prometheus-rule.mjs regenerates it and detects drift.
 */

const run = promisify(execFile);
const SCRIPT = join(REPO_ROOT, 'scripts', 'sync-prometheus-rule.mjs');
const RULES = join(REPO_ROOT, 'monitoring', 'prometheus', 'rules.yml');
const OUT = join(REPO_ROOT, 'knative', 'base', 'monitoring', 'prometheus-rule.yaml');
const Groups = z.looseObject({ groups: z.array(z.unknown()) });

const sync = (...args: string[]) =>
  run(process.execPath, [SCRIPT, ...args]).then(
    () => 0,
    (error: unknown) => z.object({ code: z.number() }).parse(error).code,
  );

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prometheus-rule-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the PrometheusRule of knative/base', () => {
  it('holds exactly the groups of monitoring/prometheus/rules.yml', async () => {
    const rule = PrometheusRuleSchema.parse(parse(await readFile(OUT, 'utf8')));
    const expected = existsSync(RULES) ? Groups.parse(parse(await readFile(RULES, 'utf8'))).groups : [];
    expect(rule.spec.groups).toEqual(expected);
  });

  it('is what the sync script writes (--check passes)', async () => {
    expect(await sync('--check')).toBe(0);
  });
});

describe('scripts/sync-prometheus-rule.mjs', () => {
  const group = { name: 'movierec-recommend', rules: [{ alert: 'RecommendSlow', expr: 'histogram_quantile(0.95, x) > 0.6', for: '5m', labels: { severity: 'page' } }] };

  it('copies the groups of a rules file into a valid PrometheusRule, and --check then passes', async () => {
    const rules = join(dir, 'rules.yml');
    const out = join(dir, 'rule.yaml');
    await writeFile(rules, JSON.stringify({ groups: [group] }));
    expect(await sync('--rules', rules, '--out', out)).toBe(0);
    const rule = PrometheusRuleSchema.parse(parse(await readFile(out, 'utf8')));
    expect(rule.spec.groups).toEqual([group]);
    expect(await sync('--rules', rules, '--out', out, '--check')).toBe(0);
  });

  it('fails --check when the rules changed since, and refuses a file without groups', async () => {
    const rules = join(dir, 'changed.yml');
    const out = join(dir, 'changed-rule.yaml');
    await writeFile(rules, JSON.stringify({ groups: [group] }));
    expect(await sync('--rules', rules, '--out', out)).toBe(0);
    await writeFile(rules, JSON.stringify({ groups: [{ ...group, name: 'renamed' }] }));
    expect(await sync('--rules', rules, '--out', out, '--check')).toBe(1);
    await writeFile(rules, 'not: rules\n');
    expect(await sync('--rules', rules, '--out', out)).toBe(1);
  });
});
