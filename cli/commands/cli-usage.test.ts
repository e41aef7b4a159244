import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'movierec-cli-usage-'));
const data = join(dir, 'u.data');
writeFileSync(data, '1\t1\t5\t874965758\n1\t2\t3\t876893171\n2\t1\t4\t878542960\n');

describe('movierec usage errors', () => {
  it.each([
    ['an unknown algorithm', ['evaluate', '--train', data, '--test', data, '-a', 'knn'], /'knn' is invalid\. Allowed choices are popularity, baseline, svd, svdpp, als/],
    ['a non-numeric factor count', ['train', '-i', data, '-a', 'svd', '-o', dir, '--factors', 'many'], /'many' is invalid\. expected a positive integer/],
    ['a validation share of 1', ['train', '-i', data, '-a', 'svd', '-o', dir, '--validation', '1'], /'1' is invalid\. expected a fraction in \[0, 1\)/],
    ['an unknown format', ['train', '-i', data, '-a', 'svd', '-o', dir, '-f', 'parquet'], /'parquet' is invalid\. Allowed choices are auto, movielens, csv, course-csv, course-log/],
    ['a missing required option', ['recommend', '--user', '1'], /required option '-m, --model <dir>' not specified/],
    ['a hyper-parameter the algorithm lacks', ['train', '-i', data, '-a', 'popularity', '-o', dir, '--factors', '8'], /popularity has no hyper-parameter factors \(it takes: shrinkage\)/],
    ['a bad --param', ['train', '-i', data, '-a', 'als', '-o', dir, '--param', 'alpha'], /'alpha' is invalid\. expected NAME=NUMBER/],
    ['an out-of-range learning rate', ['evaluate', '--train', data, '--test', data, '-a', 'svd', '--param', 'lr=-1'], /^error: svd: lr: /m],
    ['an unknown command', ['serve'], /unknown command 'serve'/],
    ['a port out of range', ['up', '--port', '99999'], /'99999' is invalid\. expected a port from 0 to 65535/],
  ])('%s exits 2 with a one-line error naming the bad value', async (_name, argv, message) => {
    const result = await runCli(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each(['up', 'replay', 'demo', 'train', 'evaluate', 'recommend'])('%s --help explains the command and exits 0', async (command) => {
    const result = await runCli(command, '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: movierec ${command}`);
    expect(result.stdout).toMatch(/--json|--out|--data-dir/);
  });

  it.each(['train', 'evaluate', 'recommend'])('%s --help shows its examples one per line', async (command) => {
    const { stdout } = await runCli(command, '--help');
    const examples = stdout.slice(stdout.indexOf('Example'));
    expect(examples).toMatch(new RegExp(`^Examples?:\\n(  movierec ${command} [^\\n]+\\n?)+$`));
  });

  it('with no arguments prints the command list', async () => {
    const result = await runCli();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Commands:[\s\S]*demo[\s\S]*train[\s\S]*evaluate[\s\S]*recommend/);
  });
});
