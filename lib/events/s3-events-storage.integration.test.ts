import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../artifacts/s3-blob-store.js';
import type { FaultyProxy } from '../artifacts/test-helpers/faulty-proxy.js';
import { startFaultyProxy } from '../artifacts/test-helpers/faulty-proxy.js';
import type { LocalS3 } from '../artifacts/test-helpers/s3-server.js';
import { localS3Settings, startLocalS3 } from '../artifacts/test-helpers/s3-server.js';
import { eventsStorageAt } from './events-storage-at.js';
import { EventsStoreError } from './events-store-error.js';
import { EventsWriter } from './events-writer.js';
import { readInteractions } from './read-interactions.js';
import { deleteSegmentsBefore, listSegments } from './retention.js';
import { S3EventsStorage } from './s3-events-storage.js';
import { DAY1, rateRecord, watchRecord } from './test-helpers/events-fixtures.js';

let s3: LocalS3;
let proxy: FaultyProxy;
let run = 0;
beforeAll(async () => {
  s3 = await startLocalS3(['events']);
  proxy = await startFaultyProxy(s3.endpoint);
});
afterEach(() => {
  proxy.rule = () => 'pass';
});
afterAll(async () => {
  await proxy.close();
  await s3.close();
});

const HOUR = 3_600_000;
const freshUri = () => `s3://events/run-${++run}`;

describe('S3EventsStorage (s3rver)', () => {
  it('keeps the storage contract: create once, append parts, read them in order, list sizes, delete', async () => {
    const storage = new S3EventsStorage(freshUri(), s3.settings, { compact: false });
    const key = 'watch/2022-03-18/20220318T061250123Z-3f9a1c2e-000001.jsonl';
    const appender = await storage.create(key);
    expect(await storage.read(key)).toEqual(Buffer.alloc(0)); // exists, empty
    expect(await storage.list('watch/')).toEqual([{ key, bytes: 0 }]);
    await expect(storage.create(key)).rejects.toThrow(/segment exists already/);
    await appender.append(Buffer.from('a\n'));
    await appender.append(Buffer.from('bb\n'));
    expect(appender.size).toBe(5);
    expect(Buffer.from((await storage.read(key)) ?? []).toString()).toBe('a\nbb\n');
    expect(await storage.list('')).toEqual([{ key, bytes: 5 }]);
    expect(await storage.list('rate/')).toEqual([]);
    expect(await storage.read('watch/2022-03-18/absent.jsonl')).toBeUndefined();
    await appender.close();
    await expect(appender.append(Buffer.from('late\n'))).rejects.toThrow();
    await storage.delete(key);
    await storage.delete(key);
    expect(await storage.list('')).toEqual([]);
    expect(await storage.read(key)).toBeUndefined();
  });

  it('merges a closed segment into one object; readers see the same bytes before, during and after', async () => {
    const uri = freshUri();
    const storage = new S3EventsStorage(uri, s3.settings);
    const key = 'rate/2022-03-18/20220318T061250123Z-3f9a1c2e-000001.jsonl';
    const appender = await storage.create(key);
    const lines = ['one\n', 'two\n', 'three\n'];
    for (const line of lines) await appender.append(Buffer.from(line));
    await appender.close();
    expect(Buffer.from((await storage.read(key)) ?? []).toString()).toBe(lines.join(''));
    await storage.settled();
    const objects = await new S3BlobStore(uri, s3.settings).list('');
    expect(objects).toEqual([`${key}/000000-000000`, `${key}/000001-000003`]);
    expect(Buffer.from((await storage.read(key)) ?? []).toString()).toBe(lines.join(''));
    expect(await storage.list('')).toEqual([{ key, bytes: 14 }]);
    // A merge interrupted before the single parts went: they are skipped, not read twice.
    await new S3BlobStore(uri, s3.settings).put(`${key}/000002-000002`, Buffer.from('two\n'));
    expect(Buffer.from((await storage.read(key)) ?? []).toString()).toBe(lines.join(''));
    expect(await storage.list('')).toEqual([{ key, bytes: 14 }]);
  });

  it('stores what EventsWriter appends and readInteractions reads it back, deduplicated; retention deletes by day', async () => {
    const uri = freshUri();
    const storage = eventsStorageAt(uri, { s3: s3.settings });
    const writer = new EventsWriter(storage, { writerId: 'a1b2' });
    const first = await Promise.all([
      writer.append([watchRecord(1, DAY1, 7, 'ghostbusters+1984', 3), rateRecord(2, DAY1 + 1000, 7, 'the+incredibles+2004', 8)]),
      writer.append([watchRecord(3, DAY1 + 2000, 8)]),
      writer.append([watchRecord(4, DAY1 + 24 * HOUR, 9)]),
    ]);
    expect(first.map((result) => result.stored)).toEqual([2, 1, 1]);
    await writer.close();
    // A restarted writer meets a redelivered copy: stored again, read once.
    const again = new EventsWriter(storage, { writerId: 'c3d4' });
    await again.append([watchRecord(3, DAY1 + 2000, 8)]);
    await again.close();
    if (storage instanceof S3EventsStorage) await storage.settled();

    const read = await readInteractions(storage, {}, { scale: { min: 1, max: 10 } });
    expect(read.records).toHaveLength(4);
    expect(read.duplicates).toBe(1);
    expect(read.corrupt).toBe(0);
    const segments = await listSegments(storage);
    expect(segments.map((segment) => `${segment.kind}/${segment.day}`).sort()).toEqual(['rate/2022-03-18', 'watch/2022-03-18', 'watch/2022-03-18', 'watch/2022-03-19']);
    const deleted = await deleteSegmentsBefore(storage, '2022-03-19');
    expect(deleted).toHaveLength(3);
    expect((await readInteractions(storage, {}, { scale: { min: 1, max: 10 } })).records).toHaveLength(1);
  });

  it('a failing store: appends reject with a retriable EventsStoreError, nothing accepted is lost, redelivery is stored once', async () => {
    const uri = freshUri();
    const storage = new S3EventsStorage(uri, localS3Settings(proxy.url), { compact: false });
    const writer = new EventsWriter(storage, { writerId: 'e5f6' });
    await writer.append([watchRecord(1, DAY1, 1), watchRecord(2, DAY1 + 1, 2)]);

    proxy.rule = (request) => (request.method === 'PUT' ? 'status-500' : 'pass');
    const failed = await writer.append([watchRecord(3, DAY1 + 2, 3)]).then(
      () => undefined,
      (error: unknown) => error,
    );
    if (!(failed instanceof EventsStoreError)) throw new Error(`expected an EventsStoreError, got ${String(failed)}`);
    expect(failed.retriable).toBe(true);
    expect(failed.message).toMatch(/^s3:\/\/events\/run-\d+\/watch\/2022-03-18\/[^:]+\.jsonl: could not store 1 watch records/);
    expect(failed.cause instanceof Error ? failed.cause.message : '').toMatch(/000002-000002: PUT failed \(after 3 attempts\): InternalError \(HTTP 500\)/);

    proxy.rule = (request) => (request.method === 'PUT' ? 'reset-mid-upload' : 'pass');
    await expect(writer.append([watchRecord(4, DAY1 + 3, 4)])).rejects.toBeInstanceOf(EventsStoreError);

    proxy.rule = () => 'pass';
    // The platform redelivers both; the writer starts a fresh segment and stores them.
    await writer.append([watchRecord(3, DAY1 + 2, 3), watchRecord(4, DAY1 + 3, 4)]);
    await writer.close();
    const read = await readInteractions(storage, {});
    expect(read.records.map((record) => record.user).sort()).toEqual(['1', '2', '3', '4']);
    expect(read.corrupt).toBe(0);
    expect(read.duplicates).toBe(0);
  });
});
