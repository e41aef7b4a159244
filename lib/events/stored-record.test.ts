import { describe, expect, it } from 'vitest';
import { RecentKeys } from './recent-keys.js';
import { dayOf, formatSegmentKey, isDay, parseSegmentKey, segmentName } from './segment-key.js';
import { decodeRecord, encodeRecord, recordKey } from './stored-record.js';
import { DAY1, watchRecord } from './test-helpers/events-fixtures.js';

describe('stored records', () => {
  it('round-trip through one line of JSON, the course line canonical', () => {
    const record = watchRecord(1, DAY1, 7, 'howl%27s+moving+castle+2004', 54);
    const text = encodeRecord(record);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
    expect(record.line).toBe("2022-03-18T06:12:47.000,7,GET /data/m/howl's+moving+castle+2004/54.mpg");
    expect(decodeRecord(text.slice(0, -1))).toEqual(record);
  });

  it('decode refuses torn JSON, other shapes and line breaks inside course lines', () => {
    const text = encodeRecord(watchRecord(1, DAY1)).slice(0, -1);
    expect(decodeRecord(text.slice(0, -3))).toBeUndefined();
    expect(decodeRecord('{"kind":"watch"}')).toBeUndefined();
    expect(decodeRecord(JSON.stringify({ ...watchRecord(1, DAY1), line: 'a\nb' }))).toBeUndefined();
    expect(decodeRecord(JSON.stringify({ ...watchRecord(1, DAY1), kind: 'other' }))).toBeUndefined();
  });

  it('keys by source and id only', () => {
    expect(recordKey(watchRecord(1, DAY1))).toBe(recordKey(watchRecord(1, DAY1 + 5)));
    expect(recordKey({ source: 'a', id: 'b/c' })).not.toBe(recordKey({ source: 'a/b', id: 'c' }));
  });
});

describe('segment keys', () => {
  it('name a segment by kind, UTC day, creation time, writer and sequence', () => {
    const key = formatSegmentKey({ kind: 'watch', day: dayOf(DAY1), name: segmentName(DAY1 + 3, 'ab12', 4) });
    expect(key).toBe('watch/2022-03-18/20220318T061247003Z-ab12-000004.jsonl');
    expect(parseSegmentKey(key)).toEqual({ kind: 'watch', day: '2022-03-18', name: '20220318T061247003Z-ab12-000004.jsonl' });
    expect(parseSegmentKey('watch/2022-02-30/20220318T061247003Z-ab12-000004.jsonl')).toBeUndefined();
    expect(parseSegmentKey('other/2022-03-18/20220318T061247003Z-ab12-000004.jsonl')).toBeUndefined();
    expect(parseSegmentKey('watch/2022-03-18/notes.txt')).toBeUndefined();
    expect(isDay('2022-03-18')).toBe(true);
    expect(isDay('2022-13-01')).toBe(false);
  });
});

describe('RecentKeys', () => {
  it('remembers the last capacity distinct keys, least recently seen first out', () => {
    const keys = new RecentKeys(2);
    expect(keys.seen('a')).toBe(false);
    expect(keys.seen('b')).toBe(false);
    expect(keys.seen('a')).toBe(true); // a is now the most recent
    expect(keys.seen('c')).toBe(false); // evicts b
    expect(keys.has('b')).toBe(false);
    expect(keys.has('a')).toBe(true);
    expect(keys.size).toBe(2);
    expect(() => new RecentKeys(0)).toThrow();
  });
});
