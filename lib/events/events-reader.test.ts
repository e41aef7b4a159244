import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { EventsReader } from './events-reader.js';
import { EventsWriter } from './events-writer.js';
import { FsEventsStorage } from './fs-events-storage.js';
import { readInteractions } from './read-interactions.js';
import { dataRecord, type StoredRecord } from './stored-record.js';
import { DAY1, rateRecord, tempRoot, watchRecord } from './test-helpers/events-fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
let storage: FsEventsStorage;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
  storage = new FsEventsStorage(root);
  const writer = new EventsWriter(storage);
  await writer.append([
    watchRecord(1, DAY1, 7, 'ghostbusters+1984', 54),
    watchRecord(2, DAY1 + HOUR, 7, 'ghostbusters+1984', 55),
    rateRecord(3, DAY1 + 2 * HOUR, 7, 'the+incredibles+2004', 4),
    watchRecord(4, DAY1 + DAY, 8),
    rateRecord(5, DAY1 + 2 * DAY, 9),
    dataRecord('/movierec/recommend', 'served-1', 'served', DAY1, { user: '7', movies: ['a+1999'] }, DAY1),
  ]);
  await writer.close();
});
afterEach(async () => {
  await cleanup();
});

async function scanIds(window: Parameters<EventsReader['scan']>[0]): Promise<string[]> {
  const seen: StoredRecord[] = [];
  await new EventsReader(storage).scan(window, (record) => seen.push(record));
  return seen.map((record) => record.id).sort();
}

describe('EventsReader', () => {
  it('lists kinds and days', async () => {
    const reader = new EventsReader(storage);
    expect((await reader.kinds()).sort()).toEqual(['rate', 'served', 'watch']);
    expect(await reader.days()).toEqual(['2022-03-18', '2022-03-19', '2022-03-20']);
    expect(await reader.days('rate')).toEqual(['2022-03-18', '2022-03-20']);
  });

  it('honours from (inclusive), to (exclusive) and kinds', async () => {
    const offsets = (...n: number[]): string[] => n.map((i) => `partition:0/offset:${i}`).sort();
    expect(await scanIds({ from: DAY1 + HOUR, to: DAY1 + DAY, kinds: ['watch', 'rate'] })).toEqual(offsets(2, 3));
    expect(await scanIds({ from: DAY1 + HOUR, to: DAY1 + DAY + 1, kinds: ['watch', 'rate'] })).toEqual(offsets(2, 3, 4));
    expect(await scanIds({ to: DAY1 + HOUR, kinds: ['watch'] })).toEqual(offsets(1));
    expect(await scanIds({ kinds: ['served'] })).toEqual(['served-1']);
    expect(await scanIds({})).toHaveLength(6);
  });

  it('skips and counts lines that are not records, and never throws on them', async () => {
    const [segment] = await storage.list('watch/2022-03-18/');
    await appendFile(join(root, segment.key), 'not json\n{"kind":"watch"}\n\n[1,2]\n');
    const result = await new EventsReader(storage).scan({ kinds: ['watch'] }, () => undefined);
    expect(result).toMatchObject({ records: 3, corrupt: 3, duplicates: 0 });
  });

  it('refuses a window that is not a number', async () => {
    await expect(new EventsReader(storage).scan({ from: Number.NaN }, () => undefined)).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('readInteractions', () => {
  it('answers interaction records, the segments read with their hashes, and a snapshot hash', async () => {
    const read = await readInteractions(storage, { from: DAY1, to: DAY1 + 2 * DAY });
    expect(read.records).toEqual([
      { user: '7', movie: 'the+incredibles+2004', kind: 'rate', value: 4, time: DAY1 + 2 * HOUR },
      { user: '7', movie: 'ghostbusters+1984', kind: 'watch', value: 54, time: DAY1 },
      { user: '7', movie: 'ghostbusters+1984', kind: 'watch', value: 55, time: DAY1 + HOUR },
      { user: '8', movie: 'ghostbusters+1984', kind: 'watch', value: 1, time: DAY1 + DAY },
    ]);
    expect(read.segments.map((segment) => segment.key.split('/').slice(0, 2).join('/'))).toEqual([
      'rate/2022-03-18',
      'rate/2022-03-20', // read (its day overlaps the window), though its record is after `to`
      'watch/2022-03-18',
      'watch/2022-03-19',
    ]);
    expect(read.segments.every((segment) => /^[0-9a-f]{64}$/.test(segment.sha256) && segment.bytes > 0)).toBe(true);
    expect((await readInteractions(storage, { from: DAY1, to: DAY1 + 2 * DAY })).snapshot).toBe(read.snapshot);
    const writer = new EventsWriter(storage);
    await writer.append([watchRecord(11, DAY1 + DAY + HOUR)]);
    await writer.close();
    expect((await readInteractions(storage, { from: DAY1, to: DAY1 + 2 * DAY })).snapshot).not.toBe(read.snapshot);
  });

  it('counts stored lines the parser now rejects by reason', async () => {
    const writer = new EventsWriter(storage);
    await writer.append([rateRecord(10, DAY1, 1, 'up+2009', 9)]);
    await writer.close();
    const strict = await readInteractions(storage, { from: DAY1, to: DAY1 + 1 });
    expect(strict.records).toHaveLength(1);
    expect(strict.unparsable['rating-out-of-range']).toBe(1);
    const wide = await readInteractions(storage, { from: DAY1, to: DAY1 + 1 }, { scale: { min: 1, max: 10 } });
    expect(wide.records).toHaveLength(2);
  });
});
