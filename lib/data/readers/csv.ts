import { DataFileError } from '../../errors.js';
import type { InteractionRecord, RatingScale } from '../records.js';
import { parseNumber, quote, scanLines } from './read-text.js';

/**
 * MovieLens 20M/25M-style ratings CSV: a header naming at least
 * `userId,movieId,rating,timestamp` (in any order, extra columns allowed),
 * then one rating per line, the timestamp in Unix seconds. LF or CRLF;
 * quoted fields (RFC 4180, `""` for a quote) are understood. Blank lines
 * are skipped. The file is streamed, so it may exceed the largest string.
 */
export const CSV_COLUMNS = ['userId', 'movieId', 'rating', 'timestamp'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** MovieLens 20M/25M ratings run from 0.5 to 5 in half stars. */
export const MOVIELENS_CSV_SCALE: RatingScale = Object.freeze({ min: 0.5, max: 5 });

export interface CsvOptions {
  /** Ratings outside this range are rejected (default 0.5–5). */
  readonly scale?: RatingScale;
}

/** Call `onRecord` for every rating in the file (for files too large to hold as records). */
export async function scanRatingsCsv(
  path: string,
  onRecord: (record: InteractionRecord) => void,
  options: CsvOptions = {},
): Promise<void> {
  const scale = options.scale ?? MOVIELENS_CSV_SCALE;
  let columns: Record<CsvColumn, number> | undefined;
  let width = 0;
  await scanLines(path, (line, lineNumber) => {
    const fail = (what: string): never => {
      throw new DataFileError(path, lineNumber, what);
    };
    if (columns === undefined) {
      columns = headerColumns(splitCsvLine(line), fail);
      width = Math.max(...Object.values(columns)) + 1;
      return;
    }
    if (line.length === 0) return;
    const fields = splitCsvLine(line);
    if (fields.length < width) fail(`expected at least ${width} comma-separated fields, found ${fields.length}`);
    const user = fields[columns.userId];
    const movie = fields[columns.movieId];
    const ratingText = fields[columns.rating];
    const timeText = fields[columns.timestamp];
    if (user.length === 0) fail('userId is empty');
    if (movie.length === 0) fail('movieId is empty');
    const rating = parseNumber(ratingText);
    if (Number.isNaN(rating)) fail(`rating ${quote(ratingText)} is not a number`);
    if (rating < scale.min || rating > scale.max) fail(`rating ${rating} is outside ${scale.min}–${scale.max}`);
    const seconds = parseNumber(timeText);
    if (!Number.isInteger(seconds) || seconds < 0) fail(`timestamp ${quote(timeText)} is not a Unix time in seconds`);
    onRecord({ user, movie, kind: 'rate', value: rating, time: seconds * 1000 });
  });
  if (columns === undefined) throw new DataFileError(path, 1, `empty file: expected a header ${CSV_COLUMNS.join(',')}`);
}

/** Read every rating of a ratings CSV into records. */
export async function readRatingsCsv(path: string, options: CsvOptions = {}): Promise<InteractionRecord[]> {
  const records: InteractionRecord[] = [];
  await scanRatingsCsv(path, (record) => records.push(record), options);
  return records;
}

function headerColumns(names: string[], fail: (what: string) => never): Record<CsvColumn, number> {
  const trimmed = names.map((name, k) => (k === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
  const missing = CSV_COLUMNS.filter((column) => !trimmed.includes(column));
  if (missing.length > 0) {
    fail(`header ${quote(trimmed.join(','))} lacks ${missing.join(', ')} (expected ${CSV_COLUMNS.join(',')})`);
  }
  return {
    userId: trimmed.indexOf('userId'),
    movieId: trimmed.indexOf('movieId'),
    rating: trimmed.indexOf('rating'),
    timestamp: trimmed.indexOf('timestamp'),
  };
}

/** Split one CSV line; quoted fields may hold commas and doubled quotes. An unclosed quote runs to the end. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (line[k + 1] === '"') {
        field += '"';
        k++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}
