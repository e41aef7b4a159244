import { isStoredKind, type StoredKind } from './stored-record.js';

/**
 * Where records live: `<kind>/<yyyy-mm-dd>/<created>-<writer>-<seq>.jsonl`,
 * relative to the store's root, e.g.
 * `watch/2022-03-18/20220318T061250123Z-3f9a1c2e-000004.jsonl`.
 *
 * - `kind`: one of STORED_KINDS; `yyyy-mm-dd`: the UTC day of the records'
 *   `time` (the event's own instant, not when it arrived).
 * - The file name: when the segment was created (UTC, compact ISO 8601),
 *   the writer that created it (random hex, one per writer instance, so two
 *   ingest instances never share a file), and that writer's sequence number.
 *   Names sort in creation order within a writer, and a segment is only ever
 *   appended to by the writer that created it.
 */
export interface SegmentKey {
  readonly kind: StoredKind;
  readonly day: string;
  readonly name: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const NAME = /^\d{8}T\d{9}Z-[0-9a-f]{1,32}-\d{6,}\.jsonl$/;

/** The UTC day `yyyy-mm-dd` of an instant in ms since the epoch. */
export function dayOf(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** The first instant of a UTC day, ms since the epoch (NaN for a malformed day). */
export function dayStart(day: string): number {
  return DAY.test(day) ? Date.parse(`${day}T00:00:00.000Z`) : Number.NaN;
}

export function isDay(text: string): boolean {
  return !Number.isNaN(dayStart(text)) && dayOf(dayStart(text)) === text;
}

/** A fresh segment's file name. */
export function segmentName(created: number, writer: string, seq: number): string {
  const stamp = new Date(created).toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${writer}-${String(seq).padStart(6, '0')}.jsonl`;
}

export function formatSegmentKey(key: SegmentKey): string {
  return `${key.kind}/${key.day}/${key.name}`;
}

/** A storage key back to its parts; undefined for anything that is not a segment. */
export function parseSegmentKey(text: string): SegmentKey | undefined {
  const parts = text.split('/');
  if (parts.length !== 3) return undefined;
  const [kind, day, name] = parts;
  if (!isStoredKind(kind) || !isDay(day) || !NAME.test(name)) return undefined;
  return { kind, day, name };
}
