import { DataFileError } from '../../errors.js';
import { MAX_MINUTE, quote } from '../../stream/fields.js';
import { parseLine, type ParseOptions } from '../../stream/parse-line.js';
import { DEFAULT_SCALE, type InteractionKind, type InteractionRecord, type RatingScale } from '../records.js';
import { readLines } from './course-log.js';

/**
 * The course's flattened CSVs, told apart by their header:
 *
 *   ratings.csv   user_time,user_id,movie_id,movie_title,year,rating
 *   watches.csv   user_time,user_id,movie_id,movie_title,year,minute
 *
 * A structured file, so the first malformed row stops the read with
 * `file:line: what is wrong`. Each row is checked by rebuilding its raw
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
    if (fields.length < 6) throw fail(`expected 6 comma-separated fields (${COURSE_CSV_HEADERS[kind]}), found ${fields.length}`);
    const [timestamp, user, movie] = fields;
    const value = fields[fields.length - 1];
    const raw = kind === 'rate' ? `${timestamp},${user},GET /rate/${movie}=${value}` : `${timestamp},${user},GET /data/m/${movie}/${value}.mpg`;
    const parsed = parseLine(raw, parseOptions);
    if (!parsed.ok) {
      throw fail(parsed.reason === 'bad-minute' ? `minute ${quote(value)} is not an integer in 0–${MAX_MINUTE}` : parsed.detail);
    }
    const event = parsed.event;
    if (event.kind === 'rate') {
      records.push({ user: event.user, movie: event.movie, kind: 'rate', value: event.rating, time: event.time });
    } else if (event.kind === 'watch') {
      records.push({ user: event.user, movie: event.movie, kind: 'watch', value: event.minute, time: event.time });
    }
  }
  if (kind === undefined) {
    throw new DataFileError(path, undefined, `empty file: expected the header of ratings.csv or watches.csv`);
  }
  return records;
}

function layoutOf(path: string, header: string): InteractionKind {
  const trimmed = header.trim();
  if (trimmed === COURSE_CSV_HEADERS.rate) return 'rate';
  if (trimmed === COURSE_CSV_HEADERS.watch) return 'watch';
  const expected = `ratings.csv (${COURSE_CSV_HEADERS.rate}) nor watches.csv (${COURSE_CSV_HEADERS.watch})`;
  throw new DataFileError(path, 1, `header ${quote(trimmed)} is neither ${expected}`);
}
