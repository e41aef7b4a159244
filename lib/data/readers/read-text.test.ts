import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../errors.js';
import { parseNumber, readTextFile, scanLines, splitLines } from './read-text.js';

const dir = mkdtempSync(join(tmpdir(), 'read-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scanLines', () => {
  it('numbers lines across chunk boundaries, CRLF and multi-byte characters included', async () => {
    const lines = Array.from({ length: 60_000 }, (_, k) => `${k},é—${'x'.repeat(k % 37)}`);
    const path = join(dir, 'big.txt');
    writeFileSync(path, `${lines.join('\r\n')}\r\n`);
    const seen: string[] = [];
    await scanLines(path, (line, n) => {
      if (n !== seen.length + 1) throw new Error(`line ${n} out of order`);
      seen.push(line);
    });
    expect(seen).toEqual(lines);
  });

  it('stops with the error its callback throws', async () => {
    const path = join(dir, 'short.txt');
    writeFileSync(path, 'a\nb\nc');
    const error = new DataFileError(path, 2, 'bad');
    const stopAtTwo = (_line: string, n: number): void => {
      if (n === 2) throw error;
    };
    await expect(scanLines(path, stopAtTwo)).rejects.toBe(error);
  });

  it('names a missing file', async () => {
    await expect(scanLines(join(dir, 'none'), () => undefined)).rejects.toThrow(`${join(dir, 'none')}: file not found`);
    await expect(readTextFile(dir)).rejects.toThrow(`${dir}: is a directory, not a file`);
  });
});

describe('splitLines and parseNumber', () => {
  it('splits LF and CRLF without a trailing empty line', () => {
    expect(splitLines('a\r\nb\n\nc\n')).toEqual(['a', 'b', '', 'c']);
    expect(splitLines('')).toEqual([]);
  });

  it.each([
    ['3', 3],
    ['-4.5', -4.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['', Number.NaN],
    [' 3', Number.NaN],
    ['0x10', Number.NaN],
    ['Infinity', Number.NaN],
    ['3a', Number.NaN],
  ])('parses %j as %d', (text, value) => {
    expect(parseNumber(text)).toBe(value);
  });
});
