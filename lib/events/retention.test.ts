import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { EventsWriter } from './events-writer.js';
import { FsEventsStorage } from './fs-events-storage.js';
import { deleteSegmentsBefore, listSegments } from './retention.js';
import { DAY1, rateRecord, tempRoot, watchRecord } from './test-helpers/events-fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
let storage: FsEventsStorage;
const DAY = 86_400_000;

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
  storage = new FsEventsStorage(root);
  const writer = new EventsWriter(storage);
  await writer.append([watchRecord(1, DAY1), watchRecord(2, DAY1 + DAY), watchRecord(3, DAY1 + 2 * DAY), rateRecord(4, DAY1)]);
  await writer.close();
});
afterEach(async () => {
  await cleanup();
});

describe('retention', () => {
  it('lists every segment with its kind, day and size', async () => {
    const segments = await listSegments(storage);
    expect(segments.map((segment) => `${segment.kind} ${segment.day}`)).toEqual([
      'watch 2022-03-18',
      'watch 2022-03-19',
      'watch 2022-03-20',
      'rate 2022-03-18',
    ]);
    expect(segments.every((segment) => segment.bytes > 0)).toBe(true);
  });

  it('deletes only segments of days before the cutoff, and the folders they leave empty', async () => {
    const deleted = await deleteSegmentsBefore(storage, '2022-03-19');
    expect(deleted.map((segment) => `${segment.kind} ${segment.day}`)).toEqual(['watch 2022-03-18', 'rate 2022-03-18']);
    expect((await listSegments(storage)).map((segment) => segment.day)).toEqual(['2022-03-19', '2022-03-20']);
    expect((await readdir(join(root, 'watch'))).sort()).toEqual(['2022-03-19', '2022-03-20']);
    expect(await readdir(root)).toEqual(['watch']);
  });

  it('spares what keep asks for', async () => {
    const deleted = await deleteSegmentsBefore(storage, '2022-03-21', { keep: (segment) => segment.kind === 'rate' });
    expect(deleted).toHaveLength(3);
    expect((await listSegments(storage)).map((segment) => segment.kind)).toEqual(['rate']);
  });

  it('refuses a cutoff that is not a day', async () => {
    await expect(deleteSegmentsBefore(storage, '2022-3-19')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
