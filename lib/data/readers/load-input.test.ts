import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_DATASETS, sharedDataset } from '../../test-helpers/datasets.js';
import { detectFormat } from './input-format.js';
import { loadInput } from './load-input.js';

const dir = mkdtempSync(join(tmpdir(), 'movierec-load-input-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const LOG = [
  '2022-03-18T06:12:47,326332,GET /data/m/ghostbusters+1984/54.mpg',
  '2022-03-28T04:00: 44,45314,GET /rate/my+left+foot+the+story+of+christy+brown+1989=4',
  '2022-03-18T05:53:29,162591,GET /rate/the+incredibles+2004=4',
].join('\n');

describe('detectFormat', () => {
  it.each([
    ['u.data', '196\t242\t3\t881250949\n', 'movielens'],
    ['slugs.tsv', '7\tfilm+1+1990\t4\t881250949\n', 'movielens'],
    ['ratings.csv', 'userId,movieId,rating,timestamp\n1,2,3.5,1112486027\n', 'csv'],
    ['course-ratings.csv', 'user_time,user_id,movie_id,movie_title,year,rating\r\n', 'course-csv'],
    ['course-watches.csv', 'user_time,user_id,movie_id,movie_title,year,minute\n', 'course-csv'],
    ['stream.log', `\n${LOG}\n`, 'course-log'],
  ])('tells %s apart', async (name, text, format) => {
    expect(await detectFormat(file(name, text))).toBe(format);
  });

  it('asks for --format when the first line fits no format', async () => {
    await expect(detectFormat(file('mystery.txt', 'hello world\n'))).rejects.toThrow(/mystery\.txt:1: cannot tell the format .* pass --format/);
  });
});

describe('loadInput', () => {
  it('skips malformed course lines by default and reports them with file:line', async () => {
    const path = file('skip.log', LOG);
    const loaded = await loadInput(path);
    expect(loaded.records).toHaveLength(2);
    expect(loaded.skipped.total).toBe(1);
    expect(loaded.skipped.samples[0]).toMatch(/skip\.log:2: bad-timestamp/);
    expect(loaded.files[0]).toMatchObject({ format: 'course-log', records: 2, skipped: 1 });
  });

  it('stops at a malformed course line with --strict', async () => {
    await expect(loadInput(file('strict.log', LOG), { strict: true })).rejects.toThrow(/strict\.log: 1 malformed line\(s\), first: .*:2: bad-timestamp/);
  });

  it('reads every file of a folder, in name order, into one snapshot with one content hash', async () => {
    const folder = join(dir, 'segments');
    mkdirSync(folder);
    writeFileSync(join(folder, 'b.tsv'), '2\t1\t4\t881250949\n');
    writeFileSync(join(folder, 'a.tsv'), '1\t1\t5\t881250949\n');
    writeFileSync(join(folder, '.hidden'), 'not data');
    const first = await loadInput(folder);
    expect(first.files.map((f) => f.path)).toEqual([join(folder, 'a.tsv'), join(folder, 'b.tsv')]);
    expect(first.records.map((r) => r.user)).toEqual(['1', '2']);
    writeFileSync(join(folder, 'b.tsv'), '2\t1\t3\t881250949\n');
    expect((await loadInput(folder)).contentHash).not.toBe(first.contentHash);
  });

  it('passes over files of a folder in no known format, and names them', async () => {
    const folder = join(dir, 'with-users');
    mkdirSync(folder);
    writeFileSync(join(folder, 'ratings.tsv'), '1\t1\t5\t881250949\n');
    writeFileSync(join(folder, 'users.csv'), 'user_id,age,occupation,gender\n1,38,executive/managerial,M\n');
    const loaded = await loadInput(folder);
    expect(loaded.records).toHaveLength(1);
    expect(loaded.ignored).toEqual([join(folder, 'users.csv')]);
    // Named on its own, the same file is an error, not a silent skip.
    await expect(loadInput(join(folder, 'users.csv'))).rejects.toThrow(/users\.csv:1: cannot tell the format/);
    rmSync(join(folder, 'ratings.tsv'));
    await expect(loadInput(folder)).rejects.toThrow(/no file in the folder is in a known format \(users\.csv\)/);
  });

  it('uses half-star scale for csv and refuses to mix scales across files', async () => {
    const folder = join(dir, 'mixed');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.csv'), 'userId,movieId,rating,timestamp\n1,2,3.5,1112486027\n');
    expect((await loadInput(join(folder, 'a.csv'))).scale).toEqual({ min: 0.5, max: 5 });
    writeFileSync(join(folder, 'b.tsv'), '1\t1\t5\t881250949\n');
    await expect(loadInput(folder)).rejects.toThrow(/b\.tsv: its movielens rating scale 1–5 differs from the other files'; pass --scale/);
  });

  it('names a missing path and an empty folder', async () => {
    await expect(loadInput(join(dir, 'absent'))).rejects.toThrow(/absent: no such file or folder/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expect(loadInput(empty)).rejects.toThrow(/empty: folder holds no data files/);
  });

  const ratings = sharedDataset('course-stream', 'ratings.csv');
  it.skipIf(ratings === undefined)(`reads the captured course ratings, skipping their six noisy rows ${ratings === undefined ? NO_DATASETS : ''}`, async () => {
    const loaded = await loadInput(ratings ?? '');
    expect(loaded.records).toHaveLength(21_906);
    expect(loaded.skipped.total).toBe(6);
  });
});
