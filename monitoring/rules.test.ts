// The alert rules as Prometheus reads them: `promtool check rules` (syntax, templates) and
// `promtool test rules` (every alert fires on its input and stays quiet on its near miss, rules.test.yml).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RulesFileSchema, RulesTestsSchema } from './rules-file.js';

const DIR = resolve(import.meta.dirname, 'prometheus');
const PROMTOOL = '/usr/bin/promtool';

function promtool(...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(PROMTOOL, args, { cwd: DIR }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      done({ code, output: `${stdout}${stderr}${error !== null && code === -1 ? String(error) : ''}` });
    });
  });
}

describe('monitoring/prometheus/rules.yml', () => {
  it('passes promtool check rules', async () => {
    const result = await promtool('check', 'rules', 'rules.yml');
    expect(result, result.output).toMatchObject({ code: 0 });
  });

  it('passes promtool test rules (rules.test.yml)', async () => {
    const result = await promtool('test', 'rules', 'rules.test.yml');
    expect(result, result.output).toMatchObject({ code: 0 });
  });

  it('gives every alert a severity, a summary and a description, and a firing and a quiet unit test', async () => {
    const rules = RulesFileSchema.parse(parse(await readFile(resolve(DIR, 'rules.yml'), 'utf8'))).groups.flatMap((g) => g.rules);
    const tests = RulesTestsSchema.parse(parse(await readFile(resolve(DIR, 'rules.test.yml'), 'utf8'))).tests.flatMap((t) => t.alert_rule_test);
    expect(rules.length).toBeGreaterThanOrEqual(7);
    for (const rule of rules) {
      expect(rule.labels.severity, rule.alert).toMatch(/^(critical|warning)$/);
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      expect(rule.annotations.description, rule.alert).toBeTruthy();
      const own = tests.filter((t) => t.alertname === rule.alert);
      expect(own.some((t) => t.exp_alerts.length > 0), `${rule.alert} has a test that fires it`).toBe(true);
      expect(own.some((t) => t.exp_alerts.length === 0), `${rule.alert} has a test that keeps it quiet`).toBe(true);
    }
  });
});
