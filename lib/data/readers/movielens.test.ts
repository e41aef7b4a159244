import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../errors.js';
import { NO_DATASETS, sharedDataset } from '../../test-helpers/datasets.js';
import { aggregateInteractions } from '../interactions.js';
import { parseMovieLens, readMovieLens } from './movielens.js';

const dir = mkdtempSync(join(tmpdir(), 'movielens-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('readMovieLens', () => {
  it('reads ratings with times in milliseconds', async () => {
    const path = file('good.data', '196\t242\t3\t881250949\n186\t302\t3.5\t891717742\n');
    expect(await readMovieLens(path)).toEqual([
      { user: '196', movie: '242', kind: 'rate', value: 3, time: 881250949000 },
      { user: '186', movie: '302', kind: 'rate', value: 3.5, time: 891717742000 },
    ]);
  });

  it('accepts CRLF, a missing final line end and blank lines', () => {
    expect(parseMovieLens('1\t2\t5\t10\r\n\r\n3\t4\t1\t20', 'x').map((r) => r.value)).toEqual([5, 1]);
  });

  it.each([
    ['1\t2\t5\t10\n1\t3\tx\t11\n', 'u1.base:2: rating "x" is not a number'],
    ['1\t2\t5\n', 'u1.base:1: expected 4 tab-separated fields (user, item, rating, timestamp), found 3'],
    ['1 2 5 10\n', 'u1.base:1: expected 4 tab-separated fields (user, item, rating, timestamp), found 1'],
    ['\t2\t5\t10\n', 'u1.base:1: user id is empty'],
    ['1\t\t5\t10\n', 'u1.base:1: item id is empty'],
    ['1\t2\t\t10\n', 'u1.base:1: rating "" is not a number'],
    ['1\t2\t6\t10\n', 'u1.base:1: rating 6 is outside 1–5'],
    ['1\t2\t5\t1e3x\n', 'u1.base:1: timestamp "1e3x" is not a Unix time in seconds'],
    ['1\t2\t5\t-4\n', 'u1.base:1: timestamp "-4" is not a Unix time in seconds'],
    ['1\t2\t0x5\t10\n', 'u1.base:1: rating "0x5" is not a number'],
  ])('rejects %j with the file and line', (text, message) => {
    expect(() => parseMovieLens(text, 'u1.base')).toThrow(DataFileError);
    expect(() => parseMovieLens(text, 'u1.base')).toThrow(message);
  });

  it('reports the file and line of a malformed line on disk', async () => {
    const path = file('bad.data', '1\t2\t5\t10\n1\t3\tx\t11\n');
    await expect(readMovieLens(path)).rejects.toThrow(`${path}:2: rating "x" is not a number`);
    await expect(readMovieLens(path)).rejects.toMatchObject({ file: path, line: 2 });
  });

  it('honours another rating scale', () => {
    expect(parseMovieLens('1\t2\t9\t10\n', 'f', { scale: { min: 1, max: 10 } })[0].value).toBe(9);
  });

  it('names a missing file instead of leaking ENOENT', async () => {
    const path = join(dir, 'absent.data');
    await expect(readMovieLens(path)).rejects.toThrow(new DataFileError(path, undefined, 'file not found'));
    await expect(readMovieLens(path)).rejects.toBeInstanceOf(DataFileError);
  });
});

describe('ML-100k official fold u1', () => {
  const base = sharedDataset('ml-100k', 'u1.base');
  const test = sharedDataset('ml-100k', 'u1.test');

  const title = base === undefined || test === undefined ? NO_DATASETS : 'reads 80,000 + 20,000 ratings of 943 users and 1,682 movies';
  it.skipIf(base === undefined || test === undefined)(title, async () => {
    const baseRecords = await readMovieLens(base ?? '');
    const testRecords = await readMovieLens(test ?? '');
    expect(baseRecords).toHaveLength(80_000);
    expect(testRecords).toHaveLength(20_000);
    expect(baseRecords[0]).toEqual({ user: '1', movie: '1', kind: 'rate', value: 5, time: 874965758000 });
    const all = aggregateInteractions([...baseRecords, ...testRecords]);
    expect(all.size).toBe(100_000);
    expect(all.users.size).toBe(943);
    expect(all.movies.size).toBe(1682);
  });
});
