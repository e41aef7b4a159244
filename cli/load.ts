import { aggregateInteractions } from '../lib/data/interactions.js';
import { DataFileError } from '../lib/errors.js';
import type { Interactions } from '../lib/data/interactions.js';
import type { LoadedInput } from '../lib/data/readers/load-input.js';
import { loadInput } from '../lib/data/readers/load-input.js';
import type { RatingScale } from '../lib/data/records.js';
import type { Io } from './io.js';
import { localInput } from './object-store.js';
import type { Format } from './options.js';

export interface LoadFlags {
  readonly format: Format;
  readonly scale?: RatingScale;
  readonly strict?: boolean;
}

export interface LoadedTable {
  readonly input: LoadedInput;
  readonly table: Interactions;
}

/** Read a file or folder (or an `s3://` object or prefix) and aggregate it; malformed lines that were skipped are reported on stderr. */
export async function loadTable(io: Io, path: string, flags: LoadFlags): Promise<LoadedTable> {
  const local = await localInput(path);
  let input: LoadedInput;
  try {
    const read = await loadInput(local.path, {
      format: flags.format === 'auto' ? undefined : flags.format,
      scale: flags.scale,
      strict: flags.strict,
    });
    const named = (text: string): string => (local.path === path ? text : text.split(local.path).join(local.uriOf(local.path)));
    input = {
      ...read,
      files: read.files.map((file) => ({ ...file, path: local.uriOf(file.path) })),
      ignored: read.ignored.map((file) => local.uriOf(file)),
      skipped: { ...read.skipped, samples: read.skipped.samples.map(named) },
    };
  } catch (error) {
    if (!(error instanceof DataFileError) || local.path === path) throw error;
    const head = error.line === undefined ? `${error.file}: ` : `${error.file}:${error.line}: `;
    throw new DataFileError(local.uriOf(error.file), error.line, error.message.slice(head.length), { cause: error });
  } finally {
    await local.cleanup();
  }
  for (const path of input.ignored) io.stderr.write(`warning: ignored ${path}: not in a known format (pass --format to force one)\n`);
  if (input.skipped.total > 0) {
    io.stderr.write(`warning: skipped ${input.skipped.total} malformed line(s) in ${path} (--strict stops instead):\n`);
    for (const sample of input.skipped.samples) io.stderr.write(`  ${sample}\n`);
    if (input.skipped.total > input.skipped.samples.length) {
      io.stderr.write(`  … and ${input.skipped.total - input.skipped.samples.length} more\n`);
    }
  }
  return { input, table: aggregateInteractions(input.records) };
}
