import { DataFileError } from '../../errors.js';
import { DEFAULT_SCALE, type InteractionRecord, type RatingScale } from '../records.js';
import { parseNumber, quote, readTextFile } from './read-text.js';

/**
 * MovieLens `u.data`-style files (ML-100k `u.data`, `u1.base`, `u1.test` …):
 * one rating per line, tab-separated `user item rating timestamp`, the
 * timestamp in Unix seconds. LF or CRLF; blank lines are skipped.
 */
export interface MovieLensOptions {
  /** Ratings outside this range are rejected (default 1–5). */
  readonly scale?: RatingScale;
}

/** Read a MovieLens TSV file. Any malformed line stops the read with `file:line: what`. */
export async function readMovieLens(path: string, options: MovieLensOptions = {}): Promise<InteractionRecord[]> {
  return parseMovieLens(await readTextFile(path), path, options);
}

/**
 * Parse the text of a MovieLens TSV file; `file` names it in errors. Scans
 * the text in place (no split into line strings): 100k lines take ~20 ms.
 */
export function parseMovieLens(text: string, file: string, options: MovieLensOptions = {}): InteractionRecord[] {
  const scale = options.scale ?? DEFAULT_SCALE;
  const records: InteractionRecord[] = [];
  let lineNumber = 0;
  for (let start = 0; start < text.length; ) {
    lineNumber++;
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const next = end + 1;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (end > start) records.push(parseLine(text, start, end, scale, file, lineNumber));
    start = next;
  }
  return records;
}

function parseLine(text: string, start: number, end: number, scale: RatingScale, file: string, lineNumber: number): InteractionRecord {
  const fail = (what: string): never => {
    throw new DataFileError(file, lineNumber, what);
  };
  const t1 = tabBefore(text, start, end);
  const t2 = tabBefore(text, t1 + 1, end);
  const t3 = tabBefore(text, t2 + 1, end);
  if (t1 < 0 || t2 < 0 || t3 < 0 || tabBefore(text, t3 + 1, end) >= 0) {
    fail(`expected 4 tab-separated fields (user, item, rating, timestamp), found ${text.slice(start, end).split('\t').length}`);
  }
  if (t1 === start) fail('user id is empty');
  if (t2 === t1 + 1) fail('item id is empty');
  const ratingText = text.slice(t2 + 1, t3);
  const rating = parseNumber(ratingText);
  if (Number.isNaN(rating)) fail(`rating ${quote(ratingText)} is not a number`);
  if (rating < scale.min || rating > scale.max) fail(`rating ${rating} is outside ${scale.min}–${scale.max}`);
  const seconds = digitsValue(text, t3 + 1, end);
  if (seconds < 0) fail(`timestamp ${quote(text.slice(t3 + 1, end))} is not a Unix time in seconds`);
  return { user: text.slice(start, t1), movie: text.slice(t1 + 1, t2), kind: 'rate', value: rating, time: seconds * 1000 };
}

function tabBefore(text: string, from: number, end: number): number {
  const at = text.indexOf('\t', from);
  return at >= 0 && at < end ? at : -1;
}

/** The value of a run of decimal digits, or -1 when the text is empty or holds anything else. */
function digitsValue(text: string, from: number, end: number): number {
  if (from >= end || end - from > 15) return -1;
  let value = 0;
  for (let k = from; k < end; k++) {
    const digit = text.charCodeAt(k) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
