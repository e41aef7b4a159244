import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../errors.js';
import { NO_DATASETS, sharedDataset } from '../../test-helpers/datasets.js';
import { readCourseLog } from './course-log.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'course-log-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const MIXED = [
  '2022-03-18T06:12:47,326332,GET /data/m/ghostbusters+1984/54.mpg',
  '2022-03-18T05:53:29,162591,GET /rate/the+incredibles+2004=4',
  '2023-03-24T14:14:43.074025,773556,recommendation request 17645-team13.isri.cmu.edu:8082, status 200, result: the+shining+1980, interstellar+2014, 55 ms',
  '2022-02-09T01:45:32.945123,284507,recommendation request 17645-team17.isri.cmu.edu:8082, status 0, result: java.util.concurrent.TimeoutException: Request timeout after 800 ms, 815 ms',
  '2022-03-28T04:00: 44,45314,GET /rate/my+left+foot+the+story+of+christy+brown+1989=4',
  '',
  '2026-01-15T10:00:00,42,GET /create_account',
  '2022-03-18T06:12:48,0007,GET /data/m/howl%27s+moving+castle+2004/3.mpg',
  '2022-03-18T06:12:49,1,GET /rate/a+1999=9',
];

describe('readCourseLog', () => {
  it('turns watch and rate lines into records, counts every kind and keeps rejects', async () => {
    const path = await write('mixed.log', `${MIXED.join('\r\n')}\r\n`);
    const read = await readCourseLog(path);
    expect(read.records).toEqual([
      { user: '326332', movie: 'ghostbusters+1984', kind: 'watch', value: 54, time: Date.UTC(2022, 2, 18, 6, 12, 47) },
      { user: '162591', movie: 'the+incredibles+2004', kind: 'rate', value: 4, time: Date.UTC(2022, 2, 18, 5, 53, 29) },
      { user: '7', movie: "howl's+moving+castle+2004", kind: 'watch', value: 3, time: Date.UTC(2022, 2, 18, 6, 12, 48) },
    ]);
    expect(read.counts).toEqual({ watch: 2, rate: 1, request: 2, create_account: 1 });
    expect(read.rejects.total).toBe(3);
    expect(read.rejects.byReason).toMatchObject({ 'bad-timestamp': 1, empty: 1, 'rating-out-of-range': 1, 'bad-movie': 0 });
    expect(read.rejects.samples).toEqual([
      `${path}:5: bad-timestamp: time "2022-03-28T04:00: 44" is not YYYY-MM-DDTHH:MM[:SS[.fffffffff]]`,
      `${path}:6: empty: the line is empty`,
      `${path}:9: rating-out-of-range: rating 9 is not in 1–5`,
    ]);
  });

  it('applies the rating scale and the sample limit', async () => {
    const path = await write('scale.log', `${MIXED.join('\n')}`);
    const read = await readCourseLog(path, { scale: { min: 1, max: 10 }, maxSamples: 1 });
    expect(read.counts.rate).toBe(2);
    expect(read.rejects.total).toBe(2);
    expect(read.rejects.samples).toHaveLength(1);
  });

  it('reads an empty file as an empty log', async () => {
    const read = await readCourseLog(await write('empty.log', ''));
    expect(read.records).toEqual([]);
    expect(read.rejects.total).toBe(0);
  });

  it('throws when no line of the file is a course line', async () => {
    const path = await write('notes.txt', 'hello\nworld\n');
    await expect(readCourseLog(path)).rejects.toThrow(
      new DataFileError(path, 1, 'not a course log: none of the first 2 non-empty lines parses (bad-timestamp: time "hello" is not YYYY-MM-DDTHH:MM[:SS[.fffffffff]])'),
    );
  });

  it('gives up after 1,000 non-empty lines without a valid one, but not before', async () => {
    const valid = MIXED[0];
    const late = await write('late.log', `${'junk\n'.repeat(1000)}${valid}\n`);
    await expect(readCourseLog(late)).rejects.toThrow(/none of the first 1000 non-empty lines parses/);
    const inTime = await write('in-time.log', `${'junk\n\n'.repeat(999)}${valid}\n`);
    const read = await readCourseLog(inTime);
    expect(read.records).toHaveLength(1);
    expect(read.rejects.byReason).toMatchObject({ 'bad-timestamp': 999, empty: 999 });
  });

  it('names a missing file or a directory instead of leaking ENOENT', async () => {
    const missing = join(dir, 'missing.log');
    await expect(readCourseLog(missing)).rejects.toThrow(new DataFileError(missing, undefined, 'file not found'));
    const folder = join(dir, 'folder');
    await mkdir(folder);
    await expect(readCourseLog(folder)).rejects.toBeInstanceOf(DataFileError);
  });
});

const ratings = sharedDataset('course-stream', 'ratings.csv');
const watches = sharedDataset('course-stream', 'watches.csv');

describe('readCourseLog on the real course data', () => {
  it.skipIf(ratings === undefined || watches === undefined)(`reads the rebuilt raw log ${ratings === undefined ? NO_DATASETS : ''}`, async () => {
    const rows = async (path: string, action: (movie: string, value: string) => string): Promise<string[]> =>
      (await readFile(path, 'utf8'))
        .split(/\r?\n/)
        .slice(1)
        .filter((row) => row.length > 0)
        .map((row) => {
          const fields = row.split(',');
          return `${fields[0]},${fields[1]},${action(fields[2], fields[fields.length - 1])}`;
        });
    const lines = [
      ...(await rows(ratings ?? '', (movie, rating) => `GET /rate/${movie}=${rating}`)),
      ...(await rows(watches ?? '', (movie, minute) => `GET /data/m/${movie}/${minute}.mpg`)),
    ];
    const read = await readCourseLog(await write('course.log', `${lines.join('\n')}\n`));
    expect(read.counts).toEqual({ watch: 3000, rate: 21_906, request: 0, create_account: 0 });
    expect(read.records).toHaveLength(24_906);
    expect(read.rejects.total).toBe(6);
    expect(read.rejects.byReason).toMatchObject({ 'bad-movie': 5, 'rating-out-of-range': 1 });
  });
});
