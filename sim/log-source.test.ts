import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../lib/errors.js';
import type { SourceCounts } from './log-source.js';
import { lineBatches, openLogSource } from './log-source.js';

const dir = mkdtempSync(join(tmpdir(), 'movierec-log-source-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function collect(path: string, batchLines: number): Promise<{ batches: string[][]; bytes: number[]; counts: SourceCounts }> {
  const counts: SourceCounts = { blank: 0, skipped: 0, samples: [] };
  const batches: string[][] = [];
  const bytes: number[] = [];
  for await (const batch of lineBatches(await openLogSource(path), batchLines, counts)) {
    batches.push(batch.lines);
    bytes.push(batch.bytes);
  }
  return { batches, bytes, counts };
}

describe('log source', () => {
  it('passes a course log’s lines on verbatim, without BOM, CR and blank lines, in batches', async () => {
    const path = join(dir, 'small.log');
    writeFileSync(path, '\uFEFF2022-03-18T06:12:47,1,GET /data/m/a+1984/1.mpg\r\n\r\n2022-03-28T04:00: 44,2,GET /rate/b+1989=4\n  \n2022-03-18T06:12:48,3,GET /rate/c+2004=5');
    const { batches, bytes, counts } = await collect(path, 2);
    expect(batches).toEqual([
      ['2022-03-18T06:12:47,1,GET /data/m/a+1984/1.mpg', '2022-03-28T04:00: 44,2,GET /rate/b+1989=4'],
      ['2022-03-18T06:12:48,3,GET /rate/c+2004=5'],
    ]);
    expect(counts.blank).toBe(2);
    expect(bytes[bytes.length - 1]).toBe((await openLogSource(path)).totalBytes);
  });

  it('keeps lines whole across 1 MiB chunks, multi-byte characters included', async () => {
    const lines = Array.from({ length: 40_000 }, (_, k) => `2024-01-01T00:00:00,${k},GET /data/m/é+ü+${k}/1.mpg`);
    const path = join(dir, 'big.log');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const { batches } = await collect(path, 5_000);
    expect(batches.flat()).toEqual(lines);
    expect(batches.every((b) => b.length === 5_000)).toBe(true);
  });

  it('refuses a file of no known format', async () => {
    const path = join(dir, 'users.csv');
    writeFileSync(path, 'user_id,age\n1,30\n');
    await expect(openLogSource(path)).rejects.toThrow(DataFileError);
  });
});
