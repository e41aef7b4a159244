import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../lib/errors.js';
import { FsEventsStorage } from '../../lib/events/fs-events-storage.js';
import { formatLineage } from '../../lib/lineage/format-lineage.js';
import { taggedCommit } from '../../lib/lineage/git-tag.js';
import { traceLineage } from '../../lib/lineage/lineage.js';
import { cliStore } from '../object-store.js';
import type { Io } from '../io.js';
import { printJson } from '../io.js';

interface LineageFlags {
  events?: string;
  json?: boolean;
}

export function registerLineage(program: Command, io: Io): void {
  program
    .command('lineage')
    .summary('print where a model came from and where it went: data → params → code → offline → online')
    .description(
      "Read a bundle's manifest and print its chain: the data snapshot (window, every segment with its sha256, the content hash), the hyper-parameters, the code (package version, git commit, the model/<algorithm>/<version> tag when the checkout has it), the offline metrics, and — with --events — each segment checked against the events store, the revisions that served the model (from the served records: answers, first and last) and their latest online evaluation.",
    )
    .argument('<model>', 'a bundle folder (holding manifest.json)')
    .option('-e, --events <dir>', 'the events store: checks the segments, finds the revisions that served the model')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  movierec lineage models/svd/svd-20261126T101500.000Z-1a2b3c4d\n' +
        '  movierec lineage models/svd/svd-20261126T101500.000Z-1a2b3c4d --events .movierec/events\n' +
        '  movierec lineage .movierec/models/svdpp/svdpp-20261126T101500.000Z-5e6f7a8b --events .movierec/events --json',
    )
    .action(async (model: string, flags: LineageFlags) => {
      if (flags.events !== undefined && !existsSync(flags.events)) throw new InvalidArgumentError(`--events ${flags.events}: no such folder`);
      const gitDir = existsSync(model) ? model : '.';
      const lineage = await traceLineage(cliStore(model), {
        events: flags.events === undefined ? undefined : new FsEventsStorage(flags.events),
        findTag: (algorithm, version) => taggedCommit(gitDir, algorithm, version),
      });
      if (flags.json) printJson(io, lineage);
      else io.stdout.write(formatLineage(lineage));
    });
}
