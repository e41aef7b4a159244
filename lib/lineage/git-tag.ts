import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Git tags for published models: `model/<algorithm>/<version>`, a
 * lightweight tag on the commit of the code that trained the model, in the
 * git checkout that holds the published bundle. The only place movierec
 * creates anything in git; every call has a timeout. Tagging never fails a
 * publish: every outcome is a result with a note, never a throw.
 */

export const GIT_TIMEOUT_MS = 5_000;

export interface TagRequest {
  /** A folder inside the checkout to tag in (e.g. where the bundle was published); need not exist yet. */
  readonly dir: string;
  readonly algorithm: string;
  readonly version: string;
  /** The code commit (the manifest's `code.gitCommit`); null: the checkout's HEAD. */
  readonly commit: string | null;
  readonly timeoutMs?: number;
}

export type TagResult =
  | { readonly status: 'created' | 'exists'; readonly tag: string; readonly commit: string; readonly note: string }
  | { readonly status: 'skipped'; readonly tag: string; readonly note: string };

/** The tag name of a model version. */
export function modelTag(algorithm: string, version: string): string {
  return `model/${algorithm}/${version}`;
}

/** Tag the model, or say why not. */
export async function tagModel(request: TagRequest): Promise<TagResult> {
  const tag = modelTag(request.algorithm, request.version);
  const skipped = (note: string): TagResult => ({ status: 'skipped', tag, note });
  const cwd = existingFolder(request.dir);
  const git = (...args: string[]) => runGit(cwd, args, request.timeoutMs ?? GIT_TIMEOUT_MS);
  const inside = await git('rev-parse', '--is-inside-work-tree');
  if (!inside.ok || inside.out !== 'true') return skipped(`not tagged: ${cwd} is not inside a git checkout${inside.ok ? '' : ` (${inside.error})`}`);
  const target = await git('rev-parse', '--verify', '--quiet', `${request.commit ?? 'HEAD'}^{commit}`);
  if (!target.ok) {
    return skipped(
      request.commit === null ? 'not tagged: the checkout has no commit yet' : `not tagged: commit ${request.commit} is not in the checkout at ${cwd}`,
    );
  }
  const existing = await git('rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`);
  if (existing.ok) {
    return existing.out === target.out
      ? { status: 'exists', tag, commit: target.out, note: `tag ${tag} already names ${target.out.slice(0, 12)}` }
      : skipped(`not tagged: tag ${tag} already names another commit (${existing.out.slice(0, 12)})`);
  }
  const created = await git('tag', tag, target.out);
  if (!created.ok) return skipped(`not tagged: git tag failed (${created.error})`);
  return { status: 'created', tag, commit: target.out, note: `tagged ${tag} → ${target.out.slice(0, 12)}` };
}

/** The commit a model's tag names, or null (no tag, no checkout, no git). */
export async function taggedCommit(dir: string, algorithm: string, version: string, timeoutMs = GIT_TIMEOUT_MS): Promise<string | null> {
  const found = await runGit(existingFolder(dir), ['rev-parse', '--verify', '--quiet', `refs/tags/${modelTag(algorithm, version)}^{commit}`], timeoutMs);
  return found.ok ? found.out : null;
}

type GitOutcome = { readonly ok: true; readonly out: string } | { readonly ok: false; readonly error: string };

function runGit(cwd: string, args: readonly string[], timeoutMs: number): Promise<GitOutcome> {
  return new Promise((done) => {
    execFile('git', ['-C', cwd, ...args], { timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      if (error === null) done({ ok: true, out: stdout.trim() });
      else if ('code' in error && error.code === 'ENOENT') done({ ok: false, error: 'git is not installed' });
      else if (error.killed) done({ ok: false, error: `git timed out after ${timeoutMs} ms` });
      else done({ ok: false, error: stderr.trim().split('\n')[0] || error.message });
    });
  });
}

/** `dir`, or its nearest existing ancestor. */
function existingFolder(dir: string): string {
  let at = resolve(dir);
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
}
