import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import type { RatingScale } from '../../lib/data/records.js';
import { InvalidArgumentError } from '../../lib/errors.js';
import { tagModel } from '../../lib/lineage/git-tag.js';
import type { Algorithm, EpochReport } from '../../lib/models/model.js';
import type { PreparedAlgorithm } from '../../lib/models/registry.js';
import { prepareAlgorithm } from '../../lib/models/registry.js';
import { readPrepared } from '../../lib/pipeline/prepared-io.js';
import type { TrainParams } from '../../lib/training/params.js';
import { loadParams, prepareFromParams } from '../../lib/training/params.js';
import type { Io } from '../io.js';
import { printJson, say } from '../io.js';
import { loadTable } from '../load.js';
import { cliStore } from '../object-store.js';
import type { Format, HyperParameterFlags } from '../options.js';
import { algorithmOption, formatOption, fraction, hyperParameterOptions, positiveInt, rawParams } from '../options.js';
import { formatMetric, formatParams, metricsTable } from '../report.js';
import type { TrainOutcome } from '../train-model.js';
import { trainModel, trainPrepared } from '../train-model.js';

interface TrainFlags extends HyperParameterFlags {
  input?: string;
  prepared?: string;
  params?: string;
  format: Format;
  algorithm: Algorithm;
  validation?: number;
  out: string;
  scale?: RatingScale;
  k?: number;
  history?: string;
  tag: boolean;
  strict?: boolean;
  json?: boolean;
}

export function registerTrain(program: Command, io: Io): void {
  const command = program
    .command('train')
    .summary('fit a model on a data file or folder (or prepared data) and write a model bundle')
    .description(
      'Fit an algorithm on --input, hold out --validation of the interactions for offline metrics, and write a checksummed model bundle to <out>/<algorithm>/<version>/ (manifest.json plus binary blobs). With --prepared, fit on a `movierec prepare` folder and score on its held-out set. With --params, hyper-parameters come from params.yaml (algorithms.<name>, train.seed) and k and validation from its train section; flags override them. Inside a git checkout the bundle is tagged model/<algorithm>/<version> (--no-tag: not).',
    )
    .addOption(new Option('-i, --input <path>', 'a data file, or a folder of data files (or s3://bucket/key, s3://bucket/prefix)').conflicts('prepared'))
    .option('--prepared <dir>', 'a prepared data folder (movierec prepare) instead of --input')
    .option('--params <file>', 'params.yaml: hyper-parameters, seed, k and validation')
    .addOption(formatOption())
    .addOption(algorithmOption())
    .addOption(new Option('--validation <fraction>', 'share held out for offline metrics (0 = none; default 0.1)').argParser(fraction))
    .requiredOption('-o, --out <dir>', 'models folder or s3://bucket[/prefix]; the bundle goes to <dir>/<algorithm>/<version>/');
  for (const option of hyperParameterOptions()) command.addOption(option);
  command
    .addOption(new Option('-k, --k <n>', 'ranking cutoff for the offline metrics (default 20)').argParser(positiveInt))
    .option('--history <file>', 'write the training loss per epoch as CSV (epoch,loss)')
    .option('--no-tag', 'do not tag the bundle in git')
    .option('--strict', 'stop at the first malformed line, in course data too')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  movierec train -i ml-100k/u.data -a svd -o models\n' +
        '  movierec train -i course-stream/ -a svdpp --validation 0.2 -o models --json\n' +
        '  movierec train -i stream.log -f course-log -a als --param alpha=10 -o models\n' +
        '  movierec train -i s3://movierec-data/ml-100k/u.data -a svd -o s3://movierec/models   (AWS_* variables, S3_FORCE_PATH_STYLE)\n' +
        '  movierec train --prepared data/prepared --params params.yaml -a svd -o models --history plots/loss/svd.csv',
    )
    .action(async (flags: TrainFlags) => {
      if ((flags.input === undefined) === (flags.prepared === undefined)) throw new InvalidArgumentError('name the data: --input <path> or --prepared <dir>');
      if (flags.prepared !== undefined && (flags.validation !== undefined || flags.scale !== undefined)) {
        throw new InvalidArgumentError('--validation and --scale apply to --input; prepared data is already split and scaled (see params.yaml train.validation, train.scale)');
      }
      const params = flags.params === undefined ? undefined : await loadParams(flags.params);
      const prepared = algorithmWithParams(flags, params);
      const k = flags.k ?? params?.k ?? 20;
      const history: EpochReport[] = [];
      const onEpoch = (report: EpochReport) => void history.push(report);
      const outcome = flags.prepared !== undefined ? await trainPrepared(io, { prepared, data: await readPrepared(flags.prepared), k, out: cliStore(flags.out), onEpoch }) : await trainOnInput(io, flags, params, prepared, k, onEpoch);
      if (flags.history !== undefined) await writeHistory(flags.history, history);
      const { manifest } = outcome.bundle;
      const tag = flags.tag ? await tagModel({ dir: outcome.path, algorithm: manifest.algorithm, version: manifest.version, commit: manifest.code.gitCommit }) : undefined;
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
          tag: tag === undefined ? null : tag,
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
      if (tag !== undefined) io.stderr.write(`note: ${tag.note}\n`);
    });
}

/** The algorithm with params.yaml's hyper-parameters (when given) and the flags on top. */
function algorithmWithParams(flags: TrainFlags, params: TrainParams | undefined): PreparedAlgorithm {
  if (params === undefined) return prepareAlgorithm(flags.algorithm, rawParams(flags));
  return prepareAlgorithm(flags.algorithm, { ...prepareFromParams(params, flags.algorithm).params, ...rawParams(flags) });
}

async function trainOnInput(
  io: Io,
  flags: TrainFlags,
  params: TrainParams | undefined,
  prepared: PreparedAlgorithm,
  k: number,
  onEpoch: (report: EpochReport) => void,
): Promise<TrainOutcome> {
  const { input, table } = await loadTable(io, flags.input ?? '', { ...flags, scale: flags.scale ?? params?.scale });
  return trainModel(io, {
    prepared,
    table,
    scale: input.scale,
    validation: flags.validation ?? params?.validation ?? 0.1,
    seed: flags.seed ?? params?.seed ?? 42,
    k,
    sources: input.files.map((f) => f.path),
    contentHash: input.contentHash,
    out: cliStore(flags.out),
    onEpoch,
  });
}

async function writeHistory(file: string, history: readonly EpochReport[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const rows = history.map((r) => `${r.epoch},${Number.isFinite(r.loss) ? r.loss : ''}`);
  await writeFile(file, `epoch,loss\n${rows.join('\n')}${rows.length > 0 ? '\n' : ''}`);
}
