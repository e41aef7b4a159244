import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { listBundleVersions } from '../../lib/artifacts/bundle-catalog.js';
import { readBundle } from '../../lib/artifacts/read-bundle.js';
import { InvalidArgumentError, MovierecError } from '../../lib/errors.js';
import type { Algorithm } from '../../lib/models/model.js';
import { ALGORITHMS } from '../../lib/models/model.js';
import { curveCsv, evaluateOnPrepared } from '../../lib/pipeline/offline-evaluation.js';
import { readPrepared } from '../../lib/pipeline/prepared-io.js';
import { loadParams } from '../../lib/training/params.js';
import type { Io } from '../io.js';
import { interactive, printJson, say } from '../io.js';
import { positiveInt } from '../options.js';
import { formatMetric, metricsTable } from '../report.js';

interface ReportFlags {
  prepared: string;
  model?: string;
  models?: string;
  algorithm?: Algorithm;
  metrics: string;
  plots?: string;
  k?: number;
  params?: string;
  json?: boolean;
}

export function registerReport(program: Command, io: Io): void {
  program
    .command('report')
    .summary("score a bundle on its prepared data's held-out set: metrics JSON and plot data")
    .description(
      "Load a bundle (every checksum verified) and the `movierec prepare` folder it was trained on, score it on the held-out set (RMSE, MAE, precision, recall, NDCG, hit rate and coverage at k) and write them to --metrics as JSON (DVC metrics); with --plots, write precision, recall, NDCG and hit rate at list lengths up to k as CSV (DVC plots). --models with --algorithm takes that algorithm's newest bundle.",
    )
    .requiredOption('-p, --prepared <dir>', 'the prepared data the model was trained on')
    .addOption(new Option('-m, --model <dir>', 'a bundle folder').conflicts('models'))
    .option('--models <dir>', 'a models root: with --algorithm, its newest bundle')
    .addOption(new Option('-a, --algorithm <name>', 'the algorithm, with --models').choices(ALGORITHMS))
    .requiredOption('--metrics <file>', 'where the metrics JSON goes (e.g. metrics/svd.json)')
    .option('--plots <file>', 'where the ranking curve CSV goes (e.g. plots/ranking/svd.csv)')
    .addOption(new Option('-k, --k <n>', "ranking cutoff (default: params.yaml's train.k, else 20)").argParser(positiveInt))
    .option('--params <file>', 'params.yaml, for train.k')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  movierec report --prepared data/prepared --models models -a svd --metrics metrics/svd.json --plots plots/ranking/svd.csv\n' +
        '  movierec report --prepared data/prepared --model models/svd/svd-20261126T101500.000Z-1a2b3c4d --metrics m.json --json',
    )
    .action(async (flags: ReportFlags) => {
      const target = await bundleTarget(flags);
      const k = flags.k ?? (flags.params === undefined ? 20 : (await loadParams(flags.params)).k);
      if (interactive(io)) io.stderr.write(`report     scoring ${target}…\n`);
      const { metrics, curve } = evaluateOnPrepared(await readBundle(target), await readPrepared(flags.prepared), k);
      await mkdir(dirname(flags.metrics), { recursive: true });
      await writeFile(flags.metrics, `${JSON.stringify(metrics, null, 2)}\n`);
      if (flags.plots !== undefined) {
        await mkdir(dirname(flags.plots), { recursive: true });
        await writeFile(flags.plots, curveCsv(curve));
      }
      if (flags.json) {
        printJson(io, { bundle: target, metrics, curve, files: { metrics: flags.metrics, plots: flags.plots ?? null } });
        return;
      }
      say(io, `${metrics.version} on ${metrics.nTest} held-out interactions (${metrics.nRated} rated, ${metrics.rankedUsers} users ranked)`);
      say(io, metricsTable([
        ['RMSE', formatMetric(metrics.rmse)],
        ['MAE', formatMetric(metrics.mae)],
        [`precision@${k}`, formatMetric(metrics.precision)],
        [`recall@${k}`, formatMetric(metrics.recall)],
        [`NDCG@${k}`, formatMetric(metrics.ndcg)],
        [`hit rate@${k}`, formatMetric(metrics.hitRate)],
        ['coverage', formatMetric(metrics.coverage)],
      ]));
      say(io, `metrics ${flags.metrics}${flags.plots === undefined ? '' : `, plots ${flags.plots}`}`);
    });
}

async function bundleTarget(flags: ReportFlags): Promise<string> {
  if (flags.model !== undefined) return flags.model;
  if (flags.models === undefined || flags.algorithm === undefined) throw new InvalidArgumentError('name the model: --model <bundle>, or --models <dir> with --algorithm');
  const versions = await listBundleVersions(flags.models, flags.algorithm);
  const newest = versions.at(-1);
  if (newest === undefined) throw new MovierecError(`${flags.models}: no ${flags.algorithm} bundle`);
  return `${flags.models}/${flags.algorithm}/${newest}`;
}
