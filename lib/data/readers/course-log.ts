import { DataFileError } from '../../errors.js';
import type { EventKind } from '../../stream/events.js';
import { parseLine, type ParseOptions } from '../../stream/parse-line.js';
import { emptyReasonCounts, type RejectReason } from '../../stream/reject-reason.js';
import type { InteractionRecord } from '../records.js';
import { readLines } from './read-text.js';
import { interactionOf } from '../../stream/interaction-of.js';

/**
 * Raw course log files: one stream line per line (what the Kafka topic
 * carries, dumped to disk). Read as the stream is: watch and rate lines
 * become records, request and create_account lines are only counted, and a
 * malformed line is rejected with its reason and never stops the read.
 */
export interface CourseLogOptions extends ParseOptions {
  /** How many rejected lines to keep as `file:line: reason: detail` (default 10). */
  readonly maxSamples?: number;
}

export interface CourseLogRejects {
  readonly total: number;
  readonly byReason: Readonly<Record<RejectReason, number>>;
  readonly samples: readonly string[];
}

export interface CourseLogRead {
  readonly records: InteractionRecord[];
  /** Accepted lines by kind. */
  readonly counts: Readonly<Record<EventKind, number>>;
  readonly rejects: CourseLogRejects;
}

/** A file whose first this-many non-empty lines hold no valid line is not a course log. */
export const SNIFF_LINES = 1000;

/**
 * Stream a course log file. Throws DataFileError only when the file cannot
 * be read or is not a course log at all (none of its first 1,000 non-empty
 * lines parses). A file with no non-empty line is an empty log, not an error.
 */
export async function readCourseLog(path: string, options: CourseLogOptions = {}): Promise<CourseLogRead> {
  const maxSamples = options.maxSamples ?? 10;
  const records: InteractionRecord[] = [];
  const counts: Record<EventKind, number> = { watch: 0, rate: 0, request: 0, create_account: 0 };
  const byReason = emptyReasonCounts();
  const samples: string[] = [];
  let total = 0;
  let nonEmpty = 0;
  let accepted = 0;
  let firstReject = '';
  let firstRejectLine = 0;
  let lineNumber = 0;
  for await (const line of readLines(path)) {
    lineNumber += 1;
    const parsed = parseLine(line, options);
    if (parsed.ok || parsed.reason !== 'empty') nonEmpty += 1;
    if (parsed.ok) {
      accepted += 1;
      counts[parsed.event.kind] += 1;
      const interaction = interactionOf(parsed.event);
      if (interaction !== undefined) records.push(interaction);
      continue;
    }
    total += 1;
    byReason[parsed.reason] += 1;
    if (samples.length < maxSamples) samples.push(`${path}:${lineNumber}: ${parsed.reason}: ${parsed.detail}`);
    if (parsed.reason !== 'empty' && firstRejectLine === 0) {
      firstRejectLine = lineNumber;
      firstReject = `${parsed.reason}: ${parsed.detail}`;
    }
    if (accepted === 0 && nonEmpty === SNIFF_LINES) throw notACourseLog(path, firstRejectLine, firstReject, nonEmpty);
  }
  if (accepted === 0 && nonEmpty > 0) throw notACourseLog(path, firstRejectLine, firstReject, nonEmpty);
  return { records, counts, rejects: { total, byReason, samples } };
}

function notACourseLog(path: string, line: number, reject: string, lines: number): DataFileError {
  return new DataFileError(path, line, `not a course log: none of the first ${lines} non-empty lines parses (${reject})`);
}
