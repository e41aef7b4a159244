import { Option } from 'commander';
import type { Command } from 'commander';
import type { RatingScale } from '../../lib/data/records.js';
import type { Algorithm } from '../../lib/models/model.js';
import { prepareAlgorithm } from '../../lib/models/registry.js';
import type { Io } from '../io.js';
import { printJson, say } from '../io.js';
import { loadTable } from '../load.js';
import { cliStore } from '../object-store.js';
import type { Format, HyperParameterFlags } from '../options.js';
import { algorithmOption, formatOption, fraction, hyperParameterOptions, positiveInt, rawParams } from '../options.js';
import { formatMetric, formatParams, metricsTable } from '../report.js';
import { trainModel } from '../train-model.js';

interface TrainFlags extends HyperParameterFlags {
  input: string;
  format: Format;
  algorithm: Algorithm;
  validation: number;
  out: string;
  scale?: RatingScale;
  k: number;
  strict?: boolean;
  json?: boolean;
}

export function registerTrain(program: Command, io: Io): void {
  const command = program
    .command('train')
    .summary('fit a model on a data file or folder and write a model bundle')
    .description(
      'Fit an algorithm on --input, hold out --validation of the interactions for offline metrics, and write a checksummed model bundle to <out>/<algorithm>/<version>/ (manifest.json plus binary blobs).',
    )
    .requiredOption('-i, --input <path>', 'a data file, or a folder of data files (or s3://bucket/key, s3://bucket/prefix)')
    .addOption(formatOption())
    .addOption(algorithmOption())
    .addOption(new Option('--validation <fraction>', 'share held out for offline metrics (0 = none)').argParser(fraction).default(0.1))
    .requiredOption('-o, --out <dir>', 'models folder or s3://bucket[/prefix]; the bundle goes to <dir>/<algorithm>/<version>/');
  for (const option of hyperParameterOptions()) command.addOption(option);
  command
    .addOption(new Option('-k, --k <n>', 'ranking cutoff for the offline metrics').argParser(positiveInt).default(20))
    .option('--strict', 'stop at the first malformed line, in course data too')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  movierec train -i ml-100k/u.data -a svd -o models\n' +
        '  movierec train -i course-stream/ -a svdpp --validation 0.2 -o models --json\n' +
        '  movierec train -i stream.log -f course-log -a als --param alpha=10 -o models\n' +
        '  movierec train -i s3://movierec-data/ml-100k/u.data -a svd -o s3://movierec/models   (AWS_* variables, S3_FORCE_PATH_STYLE)',
    )
    .action(async (flags: TrainFlags) => {
      const prepared = prepareAlgorithm(flags.algorithm, rawParams(flags));
      const { input, table } = await loadTable(io, flags.input, flags);
      const outcome = await trainModel(io, {
        prepared,
        table,
        scale: input.scale,
        validation: flags.validation,
        seed: flags.seed ?? 42,
        k: flags.k,
        sources: input.files.map((f) => f.path),
        contentHash: input.contentHash,
        out: cliStore(flags.out),
      });
      const { manifest } = outcome.bundle;
      if (flags.json) {
        printJson(io, {
          bundle: outcome.path,
          version: manifest.version,
          algorithm: manifest.algorithm,
          params: manifest.params,
          metrics: manifest.metrics,
          fitSeconds: outcome.fitSeconds,
          nTrain: outcome.nTrain,
          nValidation: outcome.nValidation,
          data: manifest.data,
          code: manifest.code,
        });
        return;
      }
      say(io, `${manifest.algorithm} ${formatParams(manifest.params)}`);
      say(io, `trained on ${outcome.nTrain} interactions in ${outcome.fitSeconds.toFixed(2)} s; validated on ${outcome.nValidation}`);
      const rows = Object.entries(outcome.metrics)
        .filter(([name]) => name !== 'fitSeconds')
        .map(([name, value]) => [name, formatMetric(value)] as const);
      if (rows.length > 0) say(io, metricsTable(rows));
      say(io, `bundle ${outcome.path}`);
    });
}
