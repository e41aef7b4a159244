import { DataFileError } from '../../errors.js';
import { MAX_MINUTE, quote } from '../../stream/fields.js';
import { parseLine, type ParseOptions } from '../../stream/parse-line.js';
import { DEFAULT_SCALE, type InteractionKind, type InteractionRecord, type RatingScale } from '../records.js';
import { readLines } from './read-text.js';
import { interactionOf } from '../../stream/interaction-of.js';

/**
 * The course's flattened CSVs, told apart by their header:
 *
 *   ratings.csv   user_time,user_id,movie_id,movie_title,year,rating
 *   watches.csv   user_time,user_id,movie_id,movie_title,year,minute
 *
 * By default the first malformed row stops the read with `file:line: what is
 * wrong`. The rows are captured stream events, though, and the real files hold
 * a few noisy ones; give `onMalformed` to skip such rows instead (each is
 * handed over as that same error, so the caller can count and show them). Each row is checked by rebuilding its raw
 * stream line and parsing it, so the CSV obeys exactly the stream's rules.
 * Only the first three columns and the last are read: `movie_title` and
 * `year` are derived from the slug (and a title may hold commas).
 * Blank lines are skipped; LF or CRLF.
 */
export const COURSE_CSV_HEADERS = {
  rate: 'user_time,user_id,movie_id,movie_title,year,rating',
  watch: 'user_time,user_id,movie_id,movie_title,year,minute',
} as const satisfies Record<InteractionKind, string>;

export interface CourseCsvOptions {
  /** Ratings must be integers in this range (default 1–5). */
  readonly scale?: RatingScale;
  /** Skip malformed rows, handing each to this callback, instead of stopping at the first. */
  readonly onMalformed?: (error: DataFileError) => void;
}

export async function readCourseCsv(path: string, options: CourseCsvOptions = {}): Promise<InteractionRecord[]> {
  const scale = options.scale ?? DEFAULT_SCALE;
  const parseOptions: ParseOptions = { scale };
  const records: InteractionRecord[] = [];
  let kind: InteractionKind | undefined;
  let lineNumber = 0;
  for await (const line of readLines(path)) {
    lineNumber += 1;
    if (kind === undefined) {
      kind = layoutOf(path, line);
      continue;
    }
    if (line.trim().length === 0) continue;
    const fail = (what: string): DataFileError => new DataFileError(path, lineNumber, what);
    const fields = line.split(',');
    if (fields.length < 6) {
      skipOrThrow(fail(`expected 6 comma-separated fields (${COURSE_CSV_HEADERS[kind]}), found ${fields.length}`), options.onMalformed);
      continue;
    }
    const [timestamp, user, movie] = fields;
    const value = fields[fields.length - 1];
    const raw = kind === 'rate' ? `${timestamp},${user},GET /rate/${movie}=${value}` : `${timestamp},${user},GET /data/m/${movie}/${value}.mpg`;
    const parsed = parseLine(raw, parseOptions);
    if (!parsed.ok) {
      const what = parsed.reason === 'bad-minute' ? `minute ${quote(value)} is not an integer in 0–${MAX_MINUTE}` : parsed.detail;
      skipOrThrow(fail(what), options.onMalformed);
      continue;
    }
    const interaction = interactionOf(parsed.event);
    if (interaction !== undefined) records.push(interaction);
  }
  if (kind === undefined) {
    throw new DataFileError(path, undefined, `empty file: expected the header of ratings.csv or watches.csv`);
  }
  return records;
}

function skipOrThrow(error: DataFileError, onMalformed: ((error: DataFileError) => void) | undefined): void {
  if (onMalformed === undefined) throw error;
  onMalformed(error);
}

function layoutOf(path: string, header: string): InteractionKind {
  const trimmed = header.trim();
  if (trimmed === COURSE_CSV_HEADERS.rate) return 'rate';
  if (trimmed === COURSE_CSV_HEADERS.watch) return 'watch';
  const expected = `ratings.csv (${COURSE_CSV_HEADERS.rate}) nor watches.csv (${COURSE_CSV_HEADERS.watch})`;
  throw new DataFileError(path, 1, `header ${quote(trimmed)} is neither ${expected}`);
}
