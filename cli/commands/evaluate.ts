import { Option } from 'commander';
import type { Command } from 'commander';
import { buildTrainSet, mapTestSet } from '../../lib/data/build-train-set.js';
import type { RatingScale } from '../../lib/data/records.js';
import { offlineReport, predictRatings } from '../../lib/metrics/offline-report.js';
import type { Algorithm } from '../../lib/models/model.js';
import { prepareAlgorithm } from '../../lib/models/registry.js';
import { fitWithProgress, secondsSince } from '../fit.js';
import type { Io } from '../io.js';
import { printJson, say } from '../io.js';
import { loadTable } from '../load.js';
import type { Format, HyperParameterFlags } from '../options.js';
import { algorithmOption, formatOption, hyperParameterOptions, positiveInt, positiveNumber, rawParams } from '../options.js';
import { formatMetric, formatParams, metricsTable } from '../report.js';

interface EvaluateFlags extends HyperParameterFlags {
  train: string;
  test: string;
  format: Format;
  algorithm: Algorithm;
  scale?: RatingScale;
  k: number;
  threshold: number;
  strict?: boolean;
  json?: boolean;
}

export function registerEvaluate(program: Command, io: Io): void {
  const command = program
    .command('evaluate')
    .summary('fit on a train file, score a test file (RMSE, MAE, ranking metrics)')
    .description(
      'Fit an algorithm on --train and score it on --test: RMSE and MAE on the test ratings, and precision, recall, NDCG and hit rate at k over the test users (test movies rated ≥ --threshold, or only watched, count as relevant; movies the user already has in train are never recommended).',
    )
    .requiredOption('--train <file>', 'training data (a file or a folder of files; or s3://bucket/key or prefix)')
    .requiredOption('--test <file>', 'test data (same format)')
    .addOption(formatOption())
    .addOption(algorithmOption());
  for (const option of hyperParameterOptions()) command.addOption(option);
  command
    .addOption(new Option('-k, --k <n>', 'ranking cutoff').argParser(positiveInt).default(20))
    .addOption(new Option('--threshold <rating>', 'test ratings at or above this are relevant').argParser(positiveNumber).default(4))
    .option('--strict', 'stop at the first malformed line, in course data too')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  movierec evaluate --train ml-100k/u1.base --test ml-100k/u1.test --algorithm svd\n' +
        '  movierec evaluate --train u1.base --test u1.test -a svdpp --factors 20 --epochs 20 --json\n' +
        '  movierec evaluate --train train.csv --test test.csv -a als --param alpha=10',
    )
    .action(async (flags: EvaluateFlags) => {
      const prepared = prepareAlgorithm(flags.algorithm, rawParams(flags));
      const train = await loadTable(io, flags.train, flags);
      const test = await loadTable(io, flags.test, { ...flags, scale: flags.scale ?? train.input.scale });
      const data = buildTrainSet(train.table, train.input.scale);
      const testSet = mapTestSet(test.table, data.users, data.movies);
      const { model, fitSeconds } = await fitWithProgress(io, prepared, data.train);
      const predictStarted = performance.now();
      const predictions = predictRatings(model, testSet);
      const predictSeconds = secondsSince(predictStarted);
      const report = offlineReport(model, data.train, testSet, predictions, { k: flags.k, threshold: flags.threshold });
      const result = {
        algorithm: prepared.algorithm,
        params: prepared.params,
        rmse: report.rmse,
        mae: report.mae,
        fitSeconds,
        predictSeconds,
        nTrain: train.table.size,
        nTest: test.table.size,
        nTestRated: report.nRated,
        impossible: report.impossible,
        k: report.ranking.k,
        precision: report.ranking.precision,
        recall: report.ranking.recall,
        ndcg: report.ranking.ndcg,
        hitRate: report.ranking.hitRate,
        coverage: report.ranking.coverage,
        rankedUsers: report.ranking.users,
        train: { path: flags.train, sha256: train.input.contentHash, users: data.train.nUsers, movies: data.train.nMovies },
        test: { path: flags.test, sha256: test.input.contentHash },
      };
      if (flags.json) {
        printJson(io, result);
        return;
      }
      say(io, `${prepared.algorithm} ${formatParams(prepared.params)}`);
      say(io, `trained on ${result.nTrain} interactions (${result.train.users} users, ${result.train.movies} movies) in ${result.fitSeconds.toFixed(2)} s`);
      say(io, `tested on ${result.nTest} interactions (${result.nTestRated} rated, ${result.impossible} with an unseen user or movie)`);
      say(io, metricsTable([
        ['RMSE', formatMetric(result.rmse)],
        ['MAE', formatMetric(result.mae)],
        [`precision@${result.k}`, formatMetric(result.precision)],
        [`recall@${result.k}`, formatMetric(result.recall)],
        [`NDCG@${result.k}`, formatMetric(result.ndcg)],
        [`hit rate@${result.k}`, formatMetric(result.hitRate)],
        ['coverage', formatMetric(result.coverage)],
        ['predict (s)', result.predictSeconds.toFixed(3)],
      ]));
    });
}
