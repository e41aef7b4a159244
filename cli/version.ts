import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** The folder holding movierec's package.json (from cli/ or dist/cli/). */
function packageRoot(): string | undefined {
  for (const rel of ['..', '../..']) {
    const dir = fileURLToPath(new URL(`${rel}/`, import.meta.url));
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'cli'))) return dir;
  }
  return undefined;
}

/** The git commit of movierec's own checkout, or null when it is not one (an installed package). */
export function gitCommit(): string | null {
  const cwd = packageRoot();
  if (cwd === undefined) return null;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}
