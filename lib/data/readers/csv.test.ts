import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../errors.js';
import { readRatingsCsv, scanRatingsCsv, splitCsvLine } from './csv.js';

const dir = mkdtempSync(join(tmpdir(), 'ratings-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function file(text: string): string {
  const path = join(dir, `ratings-${files++}.csv`);
  writeFileSync(path, text);
  return path;
}

describe('readRatingsCsv', () => {
  it('reads half-star ratings with times in milliseconds', async () => {
    const path = file('userId,movieId,rating,timestamp\n1,296,5.0,1147880044\n1,306,3.5,1147868817\n');
    expect(await readRatingsCsv(path)).toEqual([
      { user: '1', movie: '296', kind: 'rate', value: 5, time: 1147880044000 },
      { user: '1', movie: '306', kind: 'rate', value: 3.5, time: 1147868817000 },
    ]);
  });

  it('accepts CRLF, a BOM, reordered and extra columns, quotes and no final line end', async () => {
    const path = file('\uFEFFtimestamp,"title",userId,rating,movieId\r\n10,"Heat, 1995",7,4,6\r\n\r\n20,"Say ""hi""",8,0.5,9');
    expect(await readRatingsCsv(path)).toEqual([
      { user: '7', movie: '6', kind: 'rate', value: 4, time: 10000 },
      { user: '8', movie: '9', kind: 'rate', value: 0.5, time: 20000 },
    ]);
  });

  it('streams records to a callback', async () => {
    const path = file(`userId,movieId,rating,timestamp\n${Array.from({ length: 3000 }, (_, k) => `${k},1,3,${k}`).join('\n')}\n`);
    let count = 0;
    await scanRatingsCsv(path, () => count++);
    expect(count).toBe(3000);
  });

  it.each([
    ['userId,movieId,rating,timestamp\n1,2,3,4\n1,2,x,5\n', 3, 'rating "x" is not a number'],
    ['userId,movieId,rating,timestamp\n1,2,3\n', 2, 'expected at least 4 comma-separated fields, found 3'],
    ['userId,movieId,rating,timestamp\n1,2,5.5,4\n', 2, 'rating 5.5 is outside 0.5–5'],
    ['userId,movieId,rating,timestamp\n1,2,3,4.5\n', 2, 'timestamp "4.5" is not a Unix time in seconds'],
    ['userId,movieId,rating,timestamp\n,2,3,4\n', 2, 'userId is empty'],
    ['userId,movieId,rating,timestamp\n1,"",3,4\n', 2, 'movieId is empty'],
    ['user,movieId,rating\n', 1, 'header "user,movieId,rating" lacks userId, timestamp (expected userId,movieId,rating,timestamp)'],
    ['', 1, 'empty file: expected a header userId,movieId,rating,timestamp'],
  ])('rejects %j at line %i', async (text, line, what) => {
    const path = file(text);
    await expect(readRatingsCsv(path)).rejects.toThrow(new DataFileError(path, line, what));
    await expect(readRatingsCsv(path)).rejects.toMatchObject({ file: path, line });
  });

  it('names a missing file', async () => {
    const path = join(dir, 'absent.csv');
    await expect(readRatingsCsv(path)).rejects.toThrow(`${path}: file not found`);
  });
});

describe('splitCsvLine', () => {
  it.each([
    ['a,b,,c', ['a', 'b', '', 'c']],
    ['"a,b",c', ['a,b', 'c']],
    ['"say ""x""",1', ['say "x"', '1']],
    ['"unclosed,1', ['unclosed,1']],
  ])('splits %j', (line, fields) => {
    expect(splitCsvLine(line)).toEqual(fields);
  });
});
