import { readFile, writeFile } from 'node:fs/promises';
import type { z } from 'zod';
import { DataFileError, formatIssues } from '../errors.js';

/** A stage's JSON description file, validated: `DataFileError` naming the file when absent (`absent` says what to run), not JSON, or off-schema. */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>, absent: string): Promise<T> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const missing = error instanceof Error && 'code' in error && error.code === 'ENOENT';
    throw new DataFileError(file, undefined, missing ? `not found (${absent})` : `not valid JSON (${String(error)})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new DataFileError(file, undefined, formatIssues(parsed.error.issues));
  return parsed.data;
}

/** Pretty JSON and a final newline. */
export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}
