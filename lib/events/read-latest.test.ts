import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventsWriter } from './events-writer.js';
import { FsEventsStorage } from './fs-events-storage.js';
import { readLatest } from './read-latest.js';
import { dataRecord } from './stored-record.js';
import { tempRoot } from './test-helpers/events-fixtures.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-01T00:00:00.000Z');
let cleanup: () => Promise<void>;
let storage: FsEventsStorage;

beforeEach(async () => {
  const temp = await tempRoot();
  cleanup = temp.cleanup;
  storage = new FsEventsStorage(temp.root);
  const writer = new EventsWriter(storage);
  // Five reports over three days (12 h apart), appended newest first, and one decision.
  const times = [4, 3, 2, 1, 0].map((k) => T0 + k * 12 * HOUR);
  await writer.append(times.map((time) => dataRecord('/movierec/evaluate', `report-${time}`, 'online', time, { n: (time - T0) / (12 * HOUR) }, time)));
  await writer.append([dataRecord('/movierec/evaluate', 'decision-1', 'canary', T0, { verdict: 'hold' }, T0)]);
  await writer.close();
});
afterEach(async () => {
  await cleanup();
});

describe('readLatest', () => {
  it('answers the newest records of one kind, oldest first, across days', async () => {
    expect((await readLatest(storage, 'online', 3)).map((r) => (r.kind === 'online' ? r.data.n : null))).toEqual([2, 3, 4]);
    expect((await readLatest(storage, 'online', 50)).map((r) => (r.kind === 'online' ? r.data.n : null))).toEqual([0, 1, 2, 3, 4]);
    expect((await readLatest(storage, 'canary', 50)).map((r) => r.id)).toEqual(['decision-1']);
  });

  it('answers nothing for a kind without records or a limit of zero', async () => {
    expect(await readLatest(storage, 'served', 10)).toEqual([]);
    expect(await readLatest(storage, 'online', 0)).toEqual([]);
  });
});
