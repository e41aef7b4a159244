import type { EventsStorage } from './events-storage.js';
import type { ListedSegment } from './events-reader.js';
import { dayOf } from './segment-key.js';
import { deleteSegmentsBefore, listSegments } from './retention.js';
import type { StoredKind } from './stored-record.js';

const DAY = 86_400_000;

/** The kinds online evaluation reads: a recommendation not yet evaluated needs its `served` record and the watches and ratings after it. */
export const EVALUATION_KINDS: readonly StoredKind[] = ['served', 'watch', 'rate'];

export interface RetentionPolicy {
  /** Keep this many days (`RETENTION_DAYS`). */
  readonly retentionDays: number;
  readonly now: number;
  /**
   * Online evaluation's watermark: every recommendation served before it has
   * been evaluated (ms since the epoch); null when nothing is known, and then
   * no segment of EVALUATION_KINDS goes.
   */
  readonly evaluatedUntil: number | null;
}

/** The first day kept: for every kind, and for EVALUATION_KINDS (null: keep them all). */
export interface RetentionCutoffs {
  readonly all: string;
  readonly evaluation: string | null;
}

/**
 * Where retention cuts. A segment of day D goes only when all of D lies more
 * than `retentionDays` before `now` (D < day of now − retentionDays). A
 * segment of EVALUATION_KINDS must also end before the watermark's day
 * (D < day of evaluatedUntil): its records are all older than the
 * watermark, so no recommendation still to be evaluated — served at or after
 * the watermark, attributed to later watches and ratings — reads them. The
 * newest day of `online` records (the watermark itself) is always kept.
 */
export function retentionCutoffs(policy: RetentionPolicy): RetentionCutoffs {
  const all = dayOf(policy.now - policy.retentionDays * DAY);
  if (policy.evaluatedUntil === null) return { all, evaluation: null };
  const watermarkDay = dayOf(policy.evaluatedUntil);
  return { all, evaluation: watermarkDay < all ? watermarkDay : all };
}

/** The segments `applyRetention` deletes from `segments` under `policy` (pure). */
export function segmentsToDelete(segments: readonly ListedSegment[], policy: RetentionPolicy): ListedSegment[] {
  const cut = retentionCutoffs(policy);
  const newestOnline = segments.reduce((day, s) => (s.kind === 'online' && s.day > day ? s.day : day), '');
  return segments.filter((s) => {
    if (s.day >= cut.all) return false;
    if (s.kind === 'online' && s.day === newestOnline) return false;
    if (EVALUATION_KINDS.includes(s.kind)) return cut.evaluation !== null && s.day < cut.evaluation;
    return true;
  });
}

/**
 * Runs the retention policy on the store and answers what it deleted. A
 * writer still appending to a day this old would lose those records; ingest
 * stores records under their own time, so a cutoff of 14 days is far past
 * anything it still receives.
 */
export async function applyRetention(storage: EventsStorage, policy: RetentionPolicy): Promise<ListedSegment[]> {
  const doomed = new Set(segmentsToDelete(await listSegments(storage), policy).map((s) => s.key));
  if (doomed.size === 0) return [];
  return deleteSegmentsBefore(storage, retentionCutoffs(policy).all, { keep: (s) => !doomed.has(s.key) });
}
