import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../training/test-helpers/training-fixtures.js';
import { modelTag, tagModel, taggedCommit } from './git-tag.js';

const VERSION = 'svd-20261126T101500.000Z-1a2b3c4d';
let temp: Awaited<ReturnType<typeof tempDir>>;
let repo: string;
const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args]).toString().trim();

beforeAll(async () => {
  temp = await tempDir('git-tag');
  repo = join(temp.dir, 'repo');
  execFileSync('git', ['init', '-q', repo]);
  git('commit', '-q', '--allow-empty', '-m', 'first');
  git('commit', '-q', '--allow-empty', '-m', 'second');
});
afterAll(async () => temp.remove());

describe('tagModel', () => {
  it('tags HEAD of the checkout holding the bundle, from a folder that does not exist yet', async () => {
    const result = await tagModel({ dir: join(repo, 'models/svd', VERSION), algorithm: 'svd', version: VERSION, commit: null });
    expect(result).toMatchObject({ status: 'created', tag: `model/svd/${VERSION}`, commit: git('rev-parse', 'HEAD') });
    expect(git('rev-parse', `refs/tags/${modelTag('svd', VERSION)}`)).toBe(git('rev-parse', 'HEAD'));
    expect(await taggedCommit(repo, 'svd', VERSION)).toBe(git('rev-parse', 'HEAD'));
  });

  it('tags the code commit the manifest names, and says so when it already did', async () => {
    const first = git('rev-parse', 'HEAD~1');
    const version = 'svdpp-20261126T101500.000Z-5e6f7a8b';
    const created = await tagModel({ dir: repo, algorithm: 'svdpp', version, commit: first });
    expect(created).toMatchObject({ status: 'created', commit: first });
    const again = await tagModel({ dir: repo, algorithm: 'svdpp', version, commit: first });
    expect(again).toMatchObject({ status: 'exists', commit: first });
  });

  it('leaves a tag naming another commit alone', async () => {
    const result = await tagModel({ dir: repo, algorithm: 'svd', version: VERSION, commit: git('rev-parse', 'HEAD~1') });
    expect(result.status).toBe('skipped');
    expect(result.note).toMatch(/already names another commit/);
    expect(git('rev-parse', `refs/tags/model/svd/${VERSION}`)).toBe(git('rev-parse', 'HEAD'));
  });

  it('skips a commit the checkout does not have, and a folder outside any checkout, with a note', async () => {
    const unknown = await tagModel({ dir: repo, algorithm: 'als', version: 'als-20261126T101500.000Z-00000000', commit: 'deadbeef'.repeat(5) });
    expect(unknown).toMatchObject({ status: 'skipped' });
    expect(unknown.note).toMatch(/commit deadbeef.* is not in the checkout/);
    const outside = await tagModel({ dir: join(temp.dir, 'elsewhere'), algorithm: 'svd', version: VERSION, commit: null });
    expect(outside.status).toBe('skipped');
    expect(outside.note).toMatch(/is not inside a git checkout/);
    expect(await taggedCommit(join(temp.dir, 'elsewhere'), 'svd', VERSION)).toBeNull();
  });
});
