import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { DataFileError } from '../lib/errors.js';
import type { InteractionRecord } from '../lib/data/records.js';
import { readCourseCsv } from '../lib/data/readers/course-csv.js';
import { readRatingsCsv } from '../lib/data/readers/csv.js';
import type { InputFormat } from '../lib/data/readers/input-format.js';
import { detectFormat } from '../lib/data/readers/input-format.js';
import { inputFiles } from '../lib/data/readers/load-input.js';
import { readMovieLens } from '../lib/data/readers/movielens.js';
import { recordLine } from '../lib/stream/record-line.js';

/**
 * Course log lines from files, in batches, for pushing into a stream
 * (`movierec replay`). A path is a file or a folder (its files, sorted; files
 * of no known format are passed over, as lib/data's loadInput does), each
 * file's format told by lib/data's `detectFormat`:
 *
 * - `course-log`: the file's own lines, verbatim (a trailing CR and a leading
 *   BOM dropped), streamed in 1 MiB chunks. Blank lines are not lines of the
 *   stream and are skipped (`blank`); every other line, malformed or not, is
 *   passed on.
 * - `course-csv` (ratings.csv / watches.csv), `csv`, `movielens`: read with
 *   lib/data's readers into records, each turned into its course line by
 *   lib/stream's `recordLine`. Rows the course-CSV reader cannot make a record
 *   of are skipped and counted (`skipped`, with the first few as samples).
 *
 * `bytes` in a batch is how much of all the input has been consumed, for a
 * progress bar.
 */
export interface SourceFile {
  readonly path: string;
  readonly format: InputFormat;
  readonly bytes: number;
}

export interface LogSource {
  readonly files: readonly SourceFile[];
  readonly totalBytes: number;
  /** Files of a folder whose format could not be told: not read. */
  readonly ignored: readonly string[];
}

export interface LineBatch {
  readonly lines: string[];
  readonly bytes: number;
}

export interface SourceCounts {
  blank: number;
  skipped: number;
  readonly samples: string[];
}

const CHUNK_BYTES = 1 << 20;
const MAX_SAMPLES = 5;

export async function openLogSource(input: string): Promise<LogSource> {
  const paths = await inputFiles(input);
  const inFolder = paths.length > 1 || paths[0] !== input;
  const files: SourceFile[] = [];
  const ignored: string[] = [];
  for (const path of paths) {
    let format: InputFormat;
    try {
      format = await detectFormat(path);
    } catch (error) {
      if (inFolder && error instanceof DataFileError) {
        ignored.push(path);
        continue;
      }
      throw error;
    }
    files.push({ path, format, bytes: (await stat(path)).size });
  }
  if (files.length === 0) throw new DataFileError(input, undefined, 'no file in the folder is in a known format');
  return { files, ignored, totalBytes: files.reduce((sum, f) => sum + f.bytes, 0) };
}

/** The source's lines in batches of `batchLines` (the last of each run shorter), counting what is not passed on. */
export async function* lineBatches(source: LogSource, batchLines: number, counts: SourceCounts): AsyncGenerator<LineBatch> {
  let done = 0;
  let batch: string[] = [];
  for (const file of source.files) {
    if (file.format === 'course-log') {
      for await (const chunk of rawLines(file.path, counts)) {
        for (const line of chunk.lines) {
          batch.push(line);
          if (batch.length === batchLines) {
            yield { lines: batch, bytes: done + chunk.bytes };
            batch = [];
          }
        }
      }
    } else {
      const records = await readRecords(file, counts);
      for (let k = 0; k < records.length; k++) {
        batch.push(recordLine(records[k]));
        if (batch.length === batchLines) {
          yield { lines: batch, bytes: done + Math.round((file.bytes * (k + 1)) / records.length) };
          batch = [];
        }
      }
    }
    done += file.bytes;
  }
  if (batch.length > 0) yield { lines: batch, bytes: done };
}

/** A course log's non-blank lines, a chunk at a time, with the bytes read so far in that file. */
async function* rawLines(path: string, counts: SourceCounts): AsyncGenerator<LineBatch> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let bytes = 0;
  let first = true;
  const take = (text: string, lines: string[]): void => {
    const line = text.length > 0 && text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
    if (line.trim().length === 0) counts.blank += 1;
    else lines.push(line);
  };
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
      const buffer = chunk as Buffer;
      bytes += buffer.length;
      let text = carry + decoder.write(buffer);
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      const lines: string[] = [];
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        take(text.slice(start, end), lines);
        start = end + 1;
      }
      carry = text.slice(start);
      yield { lines, bytes };
    }
  } catch (error) {
    throw new DataFileError(path, undefined, `cannot be read (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  const rest = carry + decoder.end();
  if (rest.length > 0) {
    const lines: string[] = [];
    take(rest, lines);
    yield { lines, bytes };
  }
}

async function readRecords(file: SourceFile, counts: SourceCounts): Promise<InteractionRecord[]> {
  switch (file.format) {
    case 'course-csv':
      return readCourseCsv(file.path, {
        onMalformed: (error) => {
          counts.skipped += 1;
          if (counts.samples.length < MAX_SAMPLES) counts.samples.push(error.message);
        },
      });
    case 'csv':
      return readRatingsCsv(file.path);
    case 'movielens':
      return readMovieLens(file.path);
    case 'course-log':
      throw new Error('course logs are streamed as raw lines');
  }
}
