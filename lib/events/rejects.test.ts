import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { parseLine } from '../stream/parse-line.js';
import { EventsReader } from './events-reader.js';
import { EventsWriter } from './events-writer.js';
import { FsEventsStorage } from './fs-events-storage.js';
import { appendReject, countRejects, rejectRecord } from './rejects.js';
import type { StoredRecord } from './stored-record.js';
import { DAY1, SOURCE, tempRoot } from './test-helpers/events-fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
});
afterEach(async () => {
  await cleanup();
});

const BAD_LINES = [
  '2022-03-28T04:00: 44,45314,GET /rate/my+left+foot+the+story+of+christy+brown+1989=4',
  '2022-03-18T05:53:29,162591,GET /rate/the+incredibles+2004=15',
  '2022-03-18T05:53:29,x,GET /rate/the+incredibles+2004=4',
  '2022-03-18T05:53:29,1,GET /rate/the+incredibles+2004=99',
];

describe('rejects', () => {
  it('stores malformed lines with their reason, counted by the writer and from the store', async () => {
    const storage = new FsEventsStorage(root);
    const writer = new EventsWriter(storage);
    for (const [i, line] of BAD_LINES.entries()) {
      const parsed = parseLine(line);
      if (parsed.ok) throw new Error(`expected a reject: ${line}`);
      await appendReject(writer, { source: SOURCE, id: `partition:0/offset:${i}`, reason: parsed.reason, detail: parsed.detail, line, receivedAt: DAY1 });
    }
    const again = await appendReject(writer, { source: SOURCE, id: 'partition:0/offset:0', reason: 'bad-timestamp', detail: '', line: BAD_LINES[0], receivedAt: DAY1 });
    expect(again).toEqual({ stored: 0, duplicates: 1 });
    await writer.close();
    const expected = { 'bad-timestamp': 1, 'rating-out-of-range': 2, 'bad-user': 1 };
    expect(writer.stats().rejectsByReason).toEqual(expected);
    expect(await countRejects(storage)).toEqual(expected);
    expect(await countRejects(storage, { from: DAY1 + 1 })).toEqual({});
    const stored: StoredRecord[] = [];
    await new EventsReader(storage).scan({ kinds: ['rejects'] }, (record) => stored.push(record));
    expect(stored.map((record) => (record.kind === 'rejects' ? record.line : ''))).toEqual(BAD_LINES);
  });

  it('refuses a reason that is not kebab-case, and cuts an overlong detail', () => {
    const base = { source: SOURCE, id: '1', detail: 'd', line: 'x', receivedAt: DAY1 };
    expect(() => rejectRecord({ ...base, reason: 'Bad Reason' })).toThrow(InvalidArgumentError);
    expect(rejectRecord({ ...base, reason: 'bad-payload', detail: 'x'.repeat(10_000) }).detail).toHaveLength(4096);
  });
});
