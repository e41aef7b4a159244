import { type FileHandle, open, readFile } from 'node:fs/promises';
import { DataFileError } from '../../errors.js';

/**
 * Read a whole text file as UTF-8. A file that cannot be opened becomes a
 * DataFileError naming it (`u1.base: file not found`) instead of a raw
 * ENOENT stack; the original error is kept as `cause`.
 */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new DataFileError(path, undefined, describeOpenFailure(error), { cause: error });
  }
}

function describeOpenFailure(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    default:
      return `cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
}

/**
 * Call `onLine(line, lineNumber)` for every line of a file, reading it in
 * chunks so files larger than the biggest JavaScript string (MovieLens 25M)
 * pass through. LF or CRLF; the numbering starts at 1; an error thrown by
 * `onLine` stops the scan and propagates unchanged.
 */
export async function scanLines(path: string, onLine: (line: string, lineNumber: number) => void): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new DataFileError(path, undefined, describeOpenFailure(error), { cause: error });
  }
  try {
    let carry = '';
    let lineNumber = 0;
    for await (const chunk of handle.createReadStream({ encoding: 'utf8', highWaterMark: 1 << 20, autoClose: false })) {
      const text = carry + String(chunk);
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        onLine(stripCr(text.slice(start, end)), ++lineNumber);
        start = end + 1;
      }
      carry = text.slice(start);
    }
    if (carry.length > 0) onLine(stripCr(carry), ++lineNumber);
  } finally {
    await handle.close();
  }
}

function stripCr(line: string): string {
  return line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

/**
 * Split text into lines, accepting LF and CRLF line ends. A final line end
 * does not make an extra empty line. Line `k` of the file is `lines[k - 1]`.
 */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let k = 0; k < lines.length; k++) lines[k] = stripCr(lines[k]);
  return lines;
}

/** `"x"` for error messages: the offending text, quoted and shortened. */
export function quote(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(short);
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A plain decimal number, or NaN for anything else (empty text, spaces, hex, `Infinity`). */
export function parseNumber(text: string): number {
  return DECIMAL.test(text) ? Number(text) : Number.NaN;
}
