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
 * The lines of a UTF-8 text file, streamed in 1 MiB chunks so files larger
 * than the biggest JavaScript string (MovieLens 25M) pass through. Lines end
 * at LF; a CR before it is dropped (a lone CR stays inside its line); a
 * leading BOM is dropped. Opening or reading failures become a DataFileError
 * naming the file (`ratings.csv: file not found`), with the system error as
 * `cause`.
 */
export async function* readLines(path: string): AsyncGenerator<string, void, undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw new DataFileError(path, undefined, 'is not a regular file');
    }
  } catch (error) {
    if (error instanceof DataFileError) throw error;
    throw new DataFileError(path, undefined, describeOpenFailure(error), { cause: error });
  }
  try {
    let carry = '';
    let first = true;
    try {
      for await (const chunk of handle.createReadStream({ encoding: 'utf8', highWaterMark: 1 << 20, autoClose: false })) {
        let text = carry + String(chunk);
        if (first) {
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
          first = false;
        }
        let start = 0;
        for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
          yield stripCr(text.slice(start, end));
          start = end + 1;
        }
        carry = text.slice(start);
      }
    } catch (error) {
      throw new DataFileError(path, undefined, describeOpenFailure(error), { cause: error });
    }
    if (carry.length > 0) yield stripCr(carry);
  } finally {
    await handle.close();
  }
}

/**
 * Call `onLine(line, lineNumber)` for every line of a file (see `readLines`);
 * the numbering starts at 1; an error thrown by `onLine` stops the scan and
 * propagates unchanged.
 */
export async function scanLines(path: string, onLine: (line: string, lineNumber: number) => void): Promise<void> {
  let lineNumber = 0;
  for await (const line of readLines(path)) onLine(line, ++lineNumber);
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
