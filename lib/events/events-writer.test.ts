import { appendFile, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { EventsReader } from './events-reader.js';
import { EventsStoreError } from './events-store-error.js';
import { EventsWriter } from './events-writer.js';
import { FsEventsStorage } from './fs-events-storage.js';
import type { StoredRecord } from './stored-record.js';
import { DAY1, rateRecord, tempRoot, watchRecord } from './test-helpers/events-fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
});
afterEach(async () => {
  await cleanup();
});

async function readAll(storage: FsEventsStorage): Promise<{ records: StoredRecord[]; duplicates: number; corrupt: number }> {
  const records: StoredRecord[] = [];
  const result = await new EventsReader(storage).scan({}, (record) => records.push(record));
  return { records, duplicates: result.duplicates, corrupt: result.corrupt };
}

const ids = (records: readonly StoredRecord[]): string[] => records.map((record) => record.id).sort();

describe('EventsWriter group commit', () => {
  it('serves 200 concurrent appends with one fsync and reads each back once', async () => {
    const fileSyncs: string[] = [];
    const storage = new FsEventsStorage(root, { beforeSync: (path, what) => what === 'file' && fileSyncs.push(path) });
    const writer = new EventsWriter(storage);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => writer.append([watchRecord(i, DAY1 + i)])));
    await writer.close();
    expect(results.every((result) => result.stored === 1 && result.duplicates === 0)).toBe(true);
    expect(fileSyncs).toHaveLength(1);
    expect(writer.stats()).toMatchObject({ commits: 1, records: 200, duplicates: 0 });
    const read = await readAll(storage);
    expect(ids(read.records)).toEqual(Array.from({ length: 200 }, (_, i) => `partition:0/offset:${i}`).sort());
    expect(read).toMatchObject({ duplicates: 0, corrupt: 0 });
  });

  it('batches the appends that arrive while a commit is in flight into the next single commit', async () => {
    const fileSyncs: string[] = [];
    const box: { writer?: EventsWriter } = {};
    const late: Promise<unknown>[] = [];
    const storage = new FsEventsStorage(root, {
      beforeSync: (path, what) => {
        if (what !== 'file') return;
        fileSyncs.push(path);
        // Arrive during the first commit, before its fsync.
        if (fileSyncs.length === 1) for (let i = 1; i <= 100; i += 1) late.push(box.writer?.append([watchRecord(i, DAY1)]) ?? Promise.resolve());
      },
    });
    const writer = new EventsWriter(storage);
    box.writer = writer;
    await writer.append([watchRecord(0, DAY1)]);
    await Promise.all(late);
    await writer.close();
    expect(fileSyncs).toHaveLength(2);
    expect(writer.stats()).toMatchObject({ commits: 2, records: 101 });
    expect((await readAll(storage)).records).toHaveLength(101);
  });

  it('never strands an append made just as a commit loop ends', async () => {
    const storage = new FsEventsStorage(root);
    const writer = new EventsWriter(storage);
    for (let i = 0; i < 50; i += 1) {
      const first = writer.append([watchRecord(2 * i, DAY1)]);
      await first;
      await writer.append([watchRecord(2 * i + 1, DAY1)]);
    }
    await writer.close();
    expect((await readAll(storage)).records).toHaveLength(100);
  });

  it('writes one commit per segment of a batch (kind, day)', async () => {
    const storage = new FsEventsStorage(root);
    const writer = new EventsWriter(storage);
    await Promise.all([writer.append([watchRecord(1, DAY1)]), writer.append([rateRecord(2, DAY1)]), writer.append([watchRecord(3, DAY1)])]);
    await writer.close();
    expect(writer.stats().commits).toBe(2);
    expect((await readdir(root)).sort()).toEqual(['rate', 'watch']);
  });
});

describe('EventsWriter deduplication', () => {
  it('stores a (source, id) once, also when appended concurrently or in the same call', async () => {
    const storage = new FsEventsStorage(root);
    const writer = new EventsWriter(storage);
    const [a, b] = await Promise.all([writer.append([watchRecord(1, DAY1)]), writer.append([watchRecord(1, DAY1), watchRecord(1, DAY1)])]);
    expect(a).toEqual({ stored: 1, duplicates: 0 });
    expect(b).toEqual({ stored: 0, duplicates: 2 });
    expect(await writer.append([watchRecord(1, DAY1), watchRecord(2, DAY1)])).toEqual({ stored: 1, duplicates: 1 });
    await writer.close();
    const read = await readAll(storage);
    expect(ids(read.records)).toEqual(['partition:0/offset:1', 'partition:0/offset:2']);
    expect(read.duplicates).toBe(0);
  });

  it('reads a record redelivered after a writer restart once', async () => {
    const storage = new FsEventsStorage(root);
    const first = new EventsWriter(storage);
    await first.append([watchRecord(1, DAY1), watchRecord(2, DAY1)]);
    await first.close();
    const second = new EventsWriter(storage);
    expect(await second.append([watchRecord(2, DAY1), watchRecord(3, DAY1)])).toEqual({ stored: 2, duplicates: 0 });
    await second.close();
    const read = await readAll(storage);
    expect(ids(read.records)).toEqual(['partition:0/offset:1', 'partition:0/offset:2', 'partition:0/offset:3']);
    expect(read.duplicates).toBe(1);
  });
});

describe('EventsWriter segments', () => {
  it('puts events on either side of UTC midnight in their own day folders', async () => {
    const midnight = Date.parse('2022-03-19T00:00:00.000Z');
    const storage = new FsEventsStorage(root);
    const writer = new EventsWriter(storage);
    await writer.append([watchRecord(1, midnight - 1), watchRecord(2, midnight)]);
    await writer.close();
    expect((await readdir(join(root, 'watch'))).sort()).toEqual(['2022-03-18', '2022-03-19']);
    expect((await new EventsReader(storage).days('watch'))).toEqual(['2022-03-18', '2022-03-19']);
  });

  it('rotates to a new segment before one would pass the size limit', async () => {
    const storage = new FsEventsStorage(root);
    const writer = new EventsWriter(storage, { segmentBytes: 600 });
    for (let i = 0; i < 12; i += 1) await writer.append([watchRecord(i, DAY1)]);
    await writer.close();
    const segments = await storage.list('watch/');
    expect(segments.length).toBeGreaterThan(3);
    expect(segments.every((segment) => segment.bytes <= 600 && segment.bytes > 0)).toBe(true);
    expect((await readAll(storage)).records).toHaveLength(12);
  });

  it('keeps at most maxOpenSegments open, never closing one a batch is writing', async () => {
    const storage = new FsEventsStorage(root);
    const writer = new EventsWriter(storage, { maxOpenSegments: 1 });
    await Promise.all([writer.append([watchRecord(1, DAY1)]), writer.append([rateRecord(2, DAY1)])]);
    await writer.append([watchRecord(3, DAY1)]);
    await writer.append([rateRecord(4, DAY1)]);
    await writer.close();
    expect((await storage.list()).length).toBeGreaterThanOrEqual(3);
    expect(ids((await readAll(storage)).records)).toEqual([1, 2, 3, 4].map((i) => `partition:0/offset:${i}`));
  });

  it('skips and counts a torn last line; the next writer starts on a line of its own', async () => {
    const storage = new FsEventsStorage(root);
    const crashed = new EventsWriter(storage);
    await crashed.append([watchRecord(1, DAY1)]);
    const [segment] = await storage.list('watch/');
    await appendFile(join(root, segment.key), '{"source":"/kafka","id":"partition:0/off'); // a crash mid-write
    const next = new EventsWriter(storage);
    await next.append([watchRecord(2, DAY1)]);
    await next.close();
    const read = await readAll(storage);
    expect(ids(read.records)).toEqual(['partition:0/offset:1', 'partition:0/offset:2']);
    expect(read.corrupt).toBe(1);
    await crashed.close(); // release the abandoned writer's file handle (a real crash would have)
  });

  it('never glues a record onto stray bytes past its own offset', async () => {
    const storage = new FsEventsStorage(root);
    const writer = new EventsWriter(storage);
    await writer.append([watchRecord(1, DAY1)]);
    const [segment] = await storage.list('watch/');
    await appendFile(join(root, segment.key), 'garbage');
    await writer.append([watchRecord(2, DAY1)]);
    await writer.close();
    const lines = (await readFile(join(root, segment.key), 'utf8')).split('\n');
    expect(lines.slice(0, 2).map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['partition:0/offset:1', 'partition:0/offset:2']);
    expect((await readAll(storage)).records).toHaveLength(2);
  });
});

describe('EventsWriter failures', () => {
  it('rejects every waiting append with a retriable error, leaves nothing visible, and recovers in a fresh segment', async () => {
    let failNext = false;
    const storage = new FsEventsStorage(root, {
      beforeSync: (_path, what) => {
        if (what === 'file' && failNext) {
          failNext = false;
          throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
        }
      },
    });
    const writer = new EventsWriter(storage);
    await writer.append([watchRecord(0, DAY1)]);
    failNext = true;
    const settled = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => writer.append([watchRecord(i + 1, DAY1)])));
    for (const outcome of settled) {
      expect(outcome.status).toBe('rejected');
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toBeInstanceOf(EventsStoreError);
        expect((outcome.reason as EventsStoreError).retriable).toBe(true);
      }
    }
    expect((await readAll(storage)).records).toHaveLength(1); // the failed bytes were cut off
    await Promise.all(Array.from({ length: 20 }, (_, i) => writer.append([watchRecord(i + 1, DAY1)]))); // the platform retries
    await writer.close();
    expect(await storage.list('watch/')).toHaveLength(2);
    const read = await readAll(storage);
    expect(read.records).toHaveLength(21);
    expect(read).toMatchObject({ duplicates: 0, corrupt: 0 });
  });

  it('rejects with a retriable error when the segment cannot be created', async () => {
    await writeFile(join(root, 'watch'), 'a file where the kind folder belongs');
    const writer = new EventsWriter(new FsEventsStorage(root));
    const error: unknown = await writer.append([watchRecord(1, DAY1)]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EventsStoreError);
    expect((error as EventsStoreError).retriable).toBe(true);
    expect(writer.stats().records).toBe(0);
  });

  it('refuses a batch holding a record without a valid time, storing none of it', async () => {
    const writer = new EventsWriter(new FsEventsStorage(root));
    await expect(writer.append([watchRecord(1, DAY1), { ...watchRecord(2, DAY1), time: Number.NaN }])).rejects.toBeInstanceOf(InvalidArgumentError);
    await writer.close();
    expect(writer.stats().records).toBe(0);
  });

  it('refuses appends once closed', async () => {
    const writer = new EventsWriter(new FsEventsStorage(root));
    await writer.close();
    await expect(writer.append([watchRecord(1, DAY1)])).rejects.toBeInstanceOf(EventsStoreError);
  });
});
