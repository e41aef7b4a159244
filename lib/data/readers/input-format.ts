import { open } from 'node:fs/promises';
import { DataFileError } from '../../errors.js';
import { parseTimestamp } from '../../stream/timestamp.js';
import { COURSE_CSV_HEADERS } from './course-csv.js';

/** The file formats movierec reads. */
export const INPUT_FORMATS = ['movielens', 'csv', 'course-csv', 'course-log'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];
export function isInputFormat(name: string): name is InputFormat {
  return (INPUT_FORMATS as readonly string[]).includes(name);
}

const SNIFF_BYTES = 4096;

/**
 * Tell a file's format from its first line:
 * - `user_time,user_id,movie_id,…` → course-csv (ratings.csv / watches.csv)
 * - a header naming `userId` and `movieId` → csv
 * - `<ISO time>,<user>,…` → course-log
 * - four tab-separated fields ending in a rating and a timestamp → movielens (`u.data` style)
 */
export async function detectFormat(path: string): Promise<InputFormat> {
  const first = firstLine(await readHead(path));
  if (first === undefined) throw new DataFileError(path, undefined, 'empty file: cannot tell its format');
  const trimmed = first.trim();
  if (trimmed === COURSE_CSV_HEADERS.rate || trimmed === COURSE_CSV_HEADERS.watch) return 'course-csv';
  const columns = trimmed.split(',');
  if (columns.includes('userId') && columns.includes('movieId')) return 'csv';
  if (columns.length >= 3 && !Number.isNaN(parseTimestamp(columns[0]))) return 'course-log';
  const tabs = trimmed.split('\t');
  if (tabs.length === 4 && tabs.every((t) => t !== '') && tabs.slice(2).every((t) => Number.isFinite(Number(t)))) return 'movielens';
  throw new DataFileError(
    path,
    1,
    `cannot tell the format from the first line; pass --format (one of ${INPUT_FORMATS.join(', ')})`,
  );
}

async function readHead(path: string): Promise<string> {
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new DataFileError(path, undefined, code === 'ENOENT' ? 'file not found' : 'cannot be read', { cause: error });
  }
}

function firstLine(text: string): string | undefined {
  for (const line of text.split('\n')) if (line.trim() !== '') return line.replace(/\r$/, '');
  return undefined;
}
