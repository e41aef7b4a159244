import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Every file under `root`, as `/`-separated paths relative to it, sorted. */
export async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** path → sha256 of every file under `root`. */
export async function fileHashes(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of await filesUnder(root)) out.set(file, createHash('sha256').update(await readFile(join(root, file))).digest('hex'));
  return out;
}

/** Whether `file` is the declared path itself or lies under it. */
export function isUnder(file: string, declared: string): boolean {
  const path = declared.replace(/\/+$/, '');
  return file === path || file.startsWith(`${path}/`);
}
