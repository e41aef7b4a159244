import { aggregateInteractions } from '../lib/data/interactions.js';
import type { Interactions } from '../lib/data/interactions.js';
import type { LoadedInput } from '../lib/data/readers/load-input.js';
import { loadInput } from '../lib/data/readers/load-input.js';
import type { RatingScale } from '../lib/data/records.js';
import type { Io } from './io.js';
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

/** Read a file or folder and aggregate it; malformed lines that were skipped are reported on stderr. */
export async function loadTable(io: Io, path: string, flags: LoadFlags): Promise<LoadedTable> {
  const input = await loadInput(path, {
    format: flags.format === 'auto' ? undefined : flags.format,
    scale: flags.scale,
    strict: flags.strict,
  });
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
