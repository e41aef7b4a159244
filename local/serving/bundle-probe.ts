import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, parseManifest } from '../../lib/artifacts/manifest.js';

/** Whether `dir` holds a model bundle's manifest (the first revision starts only then). */
export async function holdsBundle(dir: string): Promise<boolean> {
  try {
    await access(join(dir, MANIFEST_FILE));
    return true;
  } catch {
    return false;
  }
}

/** The version the bundle in `dir` reports, from its checked manifest; null when it cannot be read. */
export async function bundleVersion(dir: string): Promise<string | null> {
  try {
    return parseManifest(dir, await readFile(join(dir, MANIFEST_FILE))).version;
  } catch {
    return null;
  }
}
