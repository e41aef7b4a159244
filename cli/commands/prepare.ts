import type { Command } from 'commander';
import { prepareSnapshot } from '../../lib/pipeline/prepare.js';
import { loadParams } from '../../lib/training/params.js';
import type { Io } from '../io.js';
import { interactive, printJson, say } from '../io.js';

interface PrepareFlags {
  snapshot: string;
  out: string;
  params: string;
  json?: boolean;
}

export function registerPrepare(program: Command, io: Io): void {
  program
    .command('prepare')
    .summary('turn a snapshot into the train/validation split: vocabularies, CSR matrices, held-out set')
    .description(
      "Read a `movierec snapshot` folder (its content hash checked), aggregate watch and rate events into (user, movie) interactions, hold out the newest train.validation share by time (as the train function does), and write the user and movie vocabularies, the ratings, implicit and seen CSR matrices and the held-out set as typed-array files, with prepared.json (counts, the split, the snapshot's window and segments, every file's sha256). Reads params.yaml's train section (validation, scale, min_interactions).",
    )
    .requiredOption('-s, --snapshot <dir>', 'a snapshot folder (movierec snapshot)')
    .requiredOption('-o, --out <dir>', 'the prepared data folder')
    .option('--params <file>', 'the parameters file', 'params.yaml')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  movierec prepare --snapshot data/snapshot --out data/prepared\n' +
        '  movierec prepare --snapshot data/snapshot --out data/prepared --params params.yaml --json',
    )
    .action(async (flags: PrepareFlags) => {
      const params = await loadParams(flags.params);
      if (interactive(io)) io.stderr.write(`prepare    reading ${flags.snapshot}…\n`);
      const manifest = await prepareSnapshot(flags.snapshot, flags.out, params);
      if (flags.json) {
        const { blobs, ...summary } = manifest;
        printJson(io, { out: flags.out, ...summary, snapshot: { ...summary.snapshot, segments: summary.snapshot.segments.length }, files: Object.keys(blobs).length });
        return;
      }
      say(io, `${manifest.nUsers} users × ${manifest.nMovies} movies in train; ${manifest.nTrain} interactions trained on, ${manifest.nValidation} held out`);
      say(io, manifest.split.holdoutFrom === null ? 'nothing held out' : `held out: every interaction from ${manifest.split.holdoutFrom} on (newest ${manifest.split.validation})`);
      say(io, `snapshot ${manifest.snapshot.contentHash}`);
      say(io, `prepared ${flags.out}`);
    });
}
