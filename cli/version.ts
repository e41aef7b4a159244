import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** The package version from package.json (works from cli/ and dist/cli/). */
export function packageVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const text = readFileSync(new URL(rel, import.meta.url), 'utf8');
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && 'name' in parsed && parsed.name === 'movierec' && 'version' in parsed) {
        return String(parsed.version);
      }
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
}

/** The git commit of the working tree the command runs in, if any (with `+dirty` when it has changes). */
export function gitCommit(cwd = process.cwd()): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    return dirty === '' ? head : `${head}+dirty`;
  } catch {
    return null;
  }
}
