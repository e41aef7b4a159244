import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DataFileError } from '../../errors.js';
import type { InteractionRecord, RatingScale } from '../records.js';
import { DEFAULT_SCALE } from '../records.js';
import { readCourseCsv } from './course-csv.js';
import { readCourseLog } from './course-log.js';
import { MOVIELENS_CSV_SCALE, readRatingsCsv } from './csv.js';
import type { InputFormat } from './input-format.js';
import { detectFormat } from './input-format.js';
import { readMovieLens } from './movielens.js';

export interface LoadOptions {
  /** A format for every file, or undefined to sniff each. */
  readonly format?: InputFormat;
  /** The rating scale; undefined means the format's own (csv: 0.5–5, others 1–5). */
  readonly scale?: RatingScale;
  /**
   * Stop at the first malformed line in any format. Otherwise course data
   * (captured stream lines, noisy by nature) skips and reports malformed lines
   * as the stream does, while movielens and csv files always stop.
   */
  readonly strict?: boolean;
}

/** One input file as read: enough to name the data snapshot a model was trained on. */
export interface InputFile {
  readonly path: string;
  readonly format: InputFormat;
  readonly bytes: number;
  readonly sha256: string;
  readonly records: number;
  readonly skipped: number;
}

export interface LoadedInput {
  readonly records: InteractionRecord[];
  readonly files: readonly InputFile[];
  readonly scale: RatingScale;
  /** sha256 over the files' own hashes, in path order: the snapshot's content hash. */
  readonly contentHash: string;
  /** Files of a folder whose format could not be told (e.g. a users table beside the logs): not read. */
  readonly ignored: readonly string[];
  /** Malformed lines that were skipped: the count and the first few as `file:line: what`. */
  readonly skipped: { readonly total: number; readonly samples: readonly string[] };
}

const MAX_SAMPLES = 10;

/** The files under `input`: the file itself, or a folder's regular files (not hidden), sorted. */
export async function inputFiles(input: string): Promise<string[]> {
  const info = await stat(input).catch((error: unknown) => {
    throw new DataFileError(input, undefined, 'no such file or folder', { cause: error });
  });
  if (info.isFile()) return [input];
  if (!info.isDirectory()) throw new DataFileError(input, undefined, 'is neither a file nor a folder');
  const names = (await readdir(input, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0) throw new DataFileError(input, undefined, 'folder holds no data files');
  return names.map((name) => join(input, name));
}

/** Read every file under `input` (a file or a folder) into interaction records. */
export async function loadInput(input: string, options: LoadOptions = {}): Promise<LoadedInput> {
  const paths = await inputFiles(input);
  const isFolder = paths.length > 1 || paths[0] !== input;
  const ignored: string[] = [];
  const records: InteractionRecord[] = [];
  const files: InputFile[] = [];
  const samples: string[] = [];
  let total = 0;
  let scale: RatingScale | undefined = options.scale;
  for (const path of paths) {
    const format = options.format ?? (await sniff(path, isFolder));
    if (format === undefined) {
      ignored.push(path);
      continue;
    }
    const fileScale = options.scale ?? (format === 'csv' ? MOVIELENS_CSV_SCALE : DEFAULT_SCALE);
    if (scale !== undefined && (scale.min !== fileScale.min || scale.max !== fileScale.max)) {
      throw new DataFileError(path, undefined, `its ${format} rating scale ${fileScale.min}–${fileScale.max} differs from the other files'; pass --scale`);
    }
    scale = fileScale;
    const read = await readOne(path, format, fileScale, options.strict === true);
    for (const r of read.records) records.push(r);
    total += read.skipped.length + read.skippedBeyondSamples;
    for (const s of read.skipped) if (samples.length < MAX_SAMPLES) samples.push(s);
    files.push({
      path,
      format,
      bytes: (await stat(path)).size,
      sha256: await sha256File(path),
      records: read.records.length,
      skipped: read.skipped.length + read.skippedBeyondSamples,
    });
  }
  if (files.length === 0) {
    throw new DataFileError(input, undefined, `no file in the folder is in a known format (${ignored.map((p) => basename(p)).join(', ')})`);
  }
  const combined = createHash('sha256');
  for (const f of files) combined.update(`${f.sha256}\n`);
  return {
    records,
    files,
    scale: scale ?? DEFAULT_SCALE,
    contentHash: combined.digest('hex'),
    ignored,
    skipped: { total, samples },
  };
}

/** In a folder, a file of no known format is passed over; a file named on its own must be readable. */
async function sniff(path: string, inFolder: boolean): Promise<InputFormat | undefined> {
  try {
    return await detectFormat(path);
  } catch (error) {
    if (inFolder && error instanceof DataFileError) return undefined;
    throw error;
  }
}

interface OneRead {
  records: InteractionRecord[];
  skipped: string[];
  skippedBeyondSamples: number;
}

async function readOne(path: string, format: InputFormat, scale: RatingScale, strict: boolean): Promise<OneRead> {
  switch (format) {
    case 'movielens':
      return { records: await readMovieLens(path, { scale }), skipped: [], skippedBeyondSamples: 0 };
    case 'csv':
      return { records: await readRatingsCsv(path, { scale }), skipped: [], skippedBeyondSamples: 0 };
    case 'course-csv': {
      const skipped: string[] = [];
      const records = await readCourseCsv(path, strict ? { scale } : { scale, onMalformed: (e) => skipped.push(e.message) });
      return { records, skipped: skipped.slice(0, MAX_SAMPLES), skippedBeyondSamples: Math.max(0, skipped.length - MAX_SAMPLES) };
    }
    case 'course-log': {
      const read = await readCourseLog(path, { scale, maxSamples: MAX_SAMPLES });
      if (strict && read.rejects.total > 0) {
        const first = read.rejects.samples[0] ?? `${path}: malformed line`;
        throw new DataFileError(path, undefined, `${read.rejects.total} malformed line(s), first: ${first}`);
      }
      return {
        records: read.records,
        skipped: [...read.rejects.samples],
        skippedBeyondSamples: read.rejects.total - read.rejects.samples.length,
      };
    }
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
