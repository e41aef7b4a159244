import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateOnline } from '../metrics/online-evaluation.js';
import type { ListedSegment } from './events-reader.js';
import { EventsWriter } from './events-writer.js';
import { FsEventsStorage } from './fs-events-storage.js';
import { readOnlineInputs } from './read-online-inputs.js';
import { listSegments } from './retention.js';
import { applyRetention, retentionCutoffs, segmentsToDelete } from './safe-retention.js';
import type { StoredKind, StoredRecord } from './stored-record.js';
import { dataRecord } from './stored-record.js';
import { rateRecord, tempRoot, watchRecord } from './test-helpers/events-fixtures.js';

const MIN = 60_000;
const DAY = 86_400_000;
const DAY0 = Date.parse('2026-10-01T00:00:00.000Z');
const NOW = DAY0 + 30 * DAY;
const WINDOW = 30 * MIN;
const policy = (evaluatedUntil: number | null, retentionDays = 14) => ({ now: NOW, retentionDays, evaluatedUntil });

const segment = (kind: StoredKind, day: string): ListedSegment => ({ kind, day, name: `x-${kind}-${day}`, key: `${kind}/${day}/x.jsonl`, bytes: 1 });

describe('retentionCutoffs and segmentsToDelete (pure)', () => {
  it('cuts every kind at now − RETENTION_DAYS and the evaluation kinds at the watermark’s day when that is earlier', () => {
    expect(retentionCutoffs(policy(null))).toEqual({ all: '2026-10-17', evaluation: null });
    expect(retentionCutoffs(policy(DAY0 + 3 * DAY + 5 * MIN))).toEqual({ all: '2026-10-17', evaluation: '2026-10-04' });
    expect(retentionCutoffs(policy(NOW - WINDOW))).toEqual({ all: '2026-10-17', evaluation: '2026-10-17' });
    expect(retentionCutoffs(policy(null, 7)).all).toBe('2026-10-24');
  });

  it('spares unevaluated days, recent days and the newest online day', () => {
    const segments = [
      segment('served', '2026-10-02'),
      segment('served', '2026-10-05'),
      segment('watch', '2026-10-03'),
      segment('watch', '2026-10-04'),
      segment('rate', '2026-10-01'),
      segment('request', '2026-10-05'),
      segment('rejects', '2026-10-20'),
      segment('online', '2026-10-02'),
      segment('online', '2026-10-03'),
      segment('canary', '2026-10-03'),
    ];
    const names = (list: ListedSegment[]) => list.map((s) => `${s.kind} ${s.day}`);
    expect(names(segmentsToDelete(segments, policy(DAY0 + 3 * DAY + 5 * MIN)))).toEqual([
      'served 2026-10-02',
      'watch 2026-10-03',
      'rate 2026-10-01',
      'request 2026-10-05',
      'online 2026-10-02',
      'canary 2026-10-03',
    ]);
    expect(names(segmentsToDelete(segments, policy(null)))).toEqual(['request 2026-10-05', 'online 2026-10-02', 'canary 2026-10-03']);
  });
});

// Day 2, 23:50: a list whose watches come after midnight (day 3); day 0: an older list and its watch.
const early = { user: '1', movie: 'ghostbusters+1984', time: DAY0 + 10 * 60 * MIN };
const late = { user: '2', movie: 'the+incredibles+2004', time: DAY0 + 2 * DAY + 23 * 60 * MIN + 50 * MIN };
function served(list: { user: string; movie: string; time: number }, id: string): StoredRecord {
  const data = { user: list.user, movies: [list.movie], modelVersion: 'svd-1', revision: 'recommend-00001', latencyMs: 4, fallback: false, servedAt: new Date(list.time).toISOString() };
  return dataRecord('/served', id, 'served', list.time, data, list.time);
}
const fixture: StoredRecord[] = [
  served(early, 's-early'),
  watchRecord(1, early.time + 5 * MIN, 1, early.movie, 0),
  rateRecord(2, early.time + 20 * MIN, 1, early.movie, 8),
  served(late, 's-late'),
  watchRecord(3, late.time + 20 * MIN, 2, late.movie, 0), // day 3, 00:10
  watchRecord(4, late.time + 21 * MIN, 2, late.movie, 1),
  rateRecord(5, late.time + 25 * MIN, 2, late.movie, 9),
  watchRecord(6, DAY0 + DAY + 60 * MIN, 9, 'heat+1995', 3), // day 1, nobody was recommended it
  dataRecord('/movierec/evaluate', 'o-1', 'online', DAY0 + DAY, { note: 'older report' }, DAY0 + DAY),
  dataRecord('/movierec/evaluate', 'o-2', 'online', DAY0 + 2 * DAY, { note: 'newest report' }, DAY0 + 2 * DAY),
];

let root: string;
let cleanup: () => Promise<void>;
let storage: FsEventsStorage;
beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
  storage = new FsEventsStorage(root);
  const writer = new EventsWriter(storage);
  await writer.append(fixture);
  await writer.close();
});
afterEach(async () => {
  await cleanup();
});

/** What online evaluation would still report for the lists served at or after the watermark. */
async function pending(watermark: number) {
  const range = { from: watermark, to: NOW - WINDOW, windowMs: WINDOW };
  const inputs = await readOnlineInputs(storage, range);
  return evaluateOnline({ ...inputs, ...range, at: NOW }).revisions;
}

describe('applyRetention on a real store', () => {
  it.each([
    ['before both lists', early.time],
    ['between the lists', early.time + 1],
    ['at the late list (still unevaluated)', late.time],
  ])('never removes what an unevaluated recommendation needs: watermark %s', async (_label, watermark) => {
    const before = await pending(watermark);
    expect(before[0].served).toBeGreaterThan(0);
    const deleted = await applyRetention(storage, policy(watermark, 1));
    expect(await pending(watermark)).toEqual(before);
    // Whatever went was entirely older than the watermark's day.
    for (const s of deleted) if (['served', 'watch', 'rate'].includes(s.kind)) expect(Date.parse(`${s.day}T00:00:00Z`) + DAY).toBeLessThanOrEqual(watermark);
  });

  it('keeps the late list’s day-2 served record and its day-3 watches, deletes older evaluated days and the older online report', async () => {
    const deleted = await applyRetention(storage, policy(late.time, 1));
    expect(deleted.map((s) => `${s.kind} ${s.day}`).sort()).toEqual(['online 2026-10-02', 'rate 2026-10-01', 'served 2026-10-01', 'watch 2026-10-01', 'watch 2026-10-02']);
    expect((await listSegments(storage)).map((s) => `${s.kind} ${s.day}`).sort()).toEqual(['online 2026-10-03', 'rate 2026-10-04', 'served 2026-10-03', 'watch 2026-10-04']);
    expect(await pending(late.time)).toEqual([expect.objectContaining({ served: 1, hits: 1, watchedMinutes: 2, ratings: 1, meanRating: 9 })]);
  });

  it('deletes no served, watch or rate segment while nothing was evaluated', async () => {
    const deleted = await applyRetention(storage, policy(null, 1));
    expect(deleted.map((s) => s.kind)).toEqual(['online']);
  });

  it('deletes the evaluated days once the watermark passed them all', async () => {
    const deleted = await applyRetention(storage, policy(NOW - WINDOW, 14));
    expect(deleted.map((s) => `${s.kind} ${s.day}`).sort()).toEqual([
      'online 2026-10-02',
      'rate 2026-10-01',
      'rate 2026-10-04',
      'served 2026-10-01',
      'served 2026-10-03',
      'watch 2026-10-01',
      'watch 2026-10-02',
      'watch 2026-10-04',
    ]);
  });
});
