import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '../errors.js';

/**
 * Which code trained a model: movierec's package version and git commit, for
 * a bundle manifest's `code`. Works from the sources (`lib/ops/`) and from
 * the build (`dist/lib/ops/`).
 */

/** A commit id as a manifest takes it: 7–64 hex digits. */
export const COMMIT_PATTERN = /^[0-9a-f]{7,64}$/;

/** The folder holding movierec's own package.json, when there is one. */
function packageRoot(): string | undefined {
  for (const rel of ['../..', '../../..']) {
    const dir = fileURLToPath(new URL(`${rel}/`, import.meta.url));
    if (readPackage(join(dir, 'package.json')) !== undefined) return dir;
  }
  return undefined;
}

/** movierec's package.json at `file` (its name checked), or undefined. */
function readPackage(file: string): { readonly version: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'name' in parsed && parsed.name === 'movierec' && 'version' in parsed) {
      return { version: String(parsed.version) };
    }
  } catch {
    // not there, or not ours
  }
  return undefined;
}

/** The package version from package.json; `0.0.0` when it cannot be found. */
export function packageVersion(): string {
  const root = packageRoot();
  return (root === undefined ? undefined : readPackage(join(root, 'package.json'))?.version) ?? '0.0.0';
}

/**
 * The git commit of the code: `explicit` when given (a container built
 * without `.git` passes its build's commit, e.g. `GIT_COMMIT`), else the
 * HEAD of movierec's own checkout, else null (an installed package).
 * Throws InvalidArgumentError for an explicit value that is not 7–64 hex digits.
 */
export function gitCommit(explicit?: string): string | null {
  if (explicit !== undefined) {
    const commit = explicit.trim().toLowerCase();
    if (!COMMIT_PATTERN.test(commit)) throw new InvalidArgumentError(`git commit ${JSON.stringify(explicit)}: expected 7–64 hex digits`);
    return commit;
  }
  const cwd = packageRoot();
  if (cwd === undefined || !existsSync(join(cwd, '.git'))) return null;
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return COMMIT_PATTERN.test(head) ? head : null;
  } catch {
    return null;
  }
}
