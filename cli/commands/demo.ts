import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { loadServingModel } from '../../lib/artifacts/model-bundle.js';
import { aggregateInteractions } from '../../lib/data/interactions.js';
import { loadInput } from '../../lib/data/readers/load-input.js';
import { generateSynthetic, syntheticRecords } from '../../lib/data/synthetic.js';
import type { Algorithm } from '../../lib/models/model.js';
import { ALGORITHMS } from '../../lib/models/model.js';
import { prepareAlgorithm } from '../../lib/models/registry.js';
import { recordLine } from '../../lib/stream/record-line.js';
import { secondsSince } from '../fit.js';
import type { Io } from '../io.js';
import { printJson, say } from '../io.js';
import { algorithmList, nonNegativeInt, positiveInt } from '../options.js';
import { formatMetric } from '../report.js';
import type { TrainOutcome } from '../train-model.js';
import { trainModel } from '../train-model.js';

interface DemoFlags {
  out: string;
  seed: number;
  users: number;
  movies: number;
  algorithms: Algorithm[];
  json?: boolean;
}

/** Hyper-parameters sized for a laptop-quick demo; `train` uses each algorithm's full defaults. */
const DEMO_PARAMS: Partial<Record<Algorithm, Record<string, number>>> = {
  als: { factors: 32, epochs: 10 },
};

const K = 20;

export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .summary('the main job: a seeded synthetic world → course log → train → evaluate → recommend')
    .description(
      'Generate a seeded synthetic world (users and movies with hidden tastes), write it as course log lines, read them back as the stream is read, train every algorithm with a validation split, compare their offline metrics, publish checksummed bundles, and answer /recommend for a few users from the best one.',
    )
    .option('-o, --out <dir>', 'where the log and the model bundles go', 'out/demo')
    .addOption(new Option('--seed <n>', 'world and training seed').argParser(nonNegativeInt).default(1))
    .addOption(new Option('--users <n>', 'users in the world').argParser(positiveInt).default(2000))
    .addOption(new Option('--movies <n>', 'movies in the world').argParser(positiveInt).default(500))
    .addOption(
      new Option('--algorithms <list>', 'comma-separated algorithms to train')
        .argParser(algorithmList)
        .default([...ALGORITHMS], ALGORITHMS.join(',')),
    )
    .option('--json', 'print one JSON object on stdout')
    .action(async (flags: DemoFlags) => runDemo(io, flags));
}

async function runDemo(io: Io, flags: DemoFlags): Promise<void> {
  const human = flags.json !== true;
  const line = (text = ''): void => {
    if (human) say(io, text);
  };
  line('movierec demo — a seeded synthetic world, trained and queried end to end');
  line();

  // 1. The world, written as the course stream writes it.
  const interactions = Math.min(flags.users * 20, Math.floor((flags.users * flags.movies) / 4));
  const world = generateSynthetic({
    seed: flags.seed,
    users: flags.users,
    movies: flags.movies,
    interactions,
    ratings: Math.floor(interactions / 4),
  });
  await mkdir(flags.out, { recursive: true });
  const logPath = join(flags.out, 'stream.log');
  const records = syntheticRecords(world);
  await writeFile(logPath, `${records.map(recordLine).join('\n')}\n`);
  line(`1. world   ${flags.users} users × ${flags.movies} movies (seed ${flags.seed}): ${records.length} course log lines → ${logPath}`);

  // 2. Read back exactly as a user's log file would be.
  const input = await loadInput(logPath, { format: 'course-log' });
  const table = aggregateInteractions(input.records);
  line(`2. read    ${input.records.length} events → ${table.size} (user, movie) interactions, ${input.skipped.total} rejected`);

  // 3. Train and compare.
  line(`3. train   ${flags.algorithms.join(', ')} with 10 % held out; ranking metrics at ${K}`);
  const outcomes: TrainOutcome[] = [];
  for (const algorithm of flags.algorithms) {
    const prepared = prepareAlgorithm(algorithm, { ...(DEMO_PARAMS[algorithm] ?? {}) });
    outcomes.push(
      await trainModel(io, {
        prepared,
        table,
        scale: input.scale,
        validation: 0.1,
        seed: flags.seed,
        k: K,
        sources: [logPath],
        contentHash: input.contentHash,
        out: join(flags.out, 'models'),
      }),
    );
  }
  line();
  line(`   ${'algorithm'.padEnd(11)}${'fit s'.padStart(7)}${'RMSE'.padStart(8)}${`hit@${K}`.padStart(9)}${`NDCG@${K}`.padStart(9)}${'coverage'.padStart(10)}`);
  for (const o of outcomes) {
    const m = o.metrics;
    line(
      `   ${o.bundle.manifest.algorithm.padEnd(11)}${o.fitSeconds.toFixed(2).padStart(7)}${formatMetric(m.rmse ?? null).padStart(8)}` +
        `${formatMetric(m[`hitRateAt${K}`] ?? null).padStart(9)}${formatMetric(m[`ndcgAt${K}`] ?? null).padStart(9)}` +
        `${formatMetric(m[`coverageAt${K}`] ?? null).padStart(10)}`,
    );
  }

  // 4. Serve the best by NDCG from disk, as the recommend function would.
  const best = outcomes.reduce((a, b) => ((b.metrics[`ndcgAt${K}`] ?? -1) > (a.metrics[`ndcgAt${K}`] ?? -1) ? b : a));
  const serving = await loadServingModel(best.path);
  line();
  line(`4. serve   best by NDCG@${K}: ${serving.manifest.algorithm}, loaded and verified from ${best.path}`);
  const activeUser = world.interactions.users.idAt(world.interactions.user[0]);
  const queries = [activeUser, world.interactions.users.idAt(world.interactions.user[table.size - 1]), '999999999'];
  const answers = queries.map((user) => {
    const started = performance.now();
    const answer = serving.recommend(user, K);
    return { user, ...answer, ms: secondsSince(started) * 1000 };
  });
  for (const a of answers) {
    const shown = a.movies.slice(0, 5).join(',');
    line(`   GET /recommend/${a.user} → ${shown},… (${a.movies.length} ids${a.fallback ? ', unknown user: popular movies' : ''}, ${a.ms.toFixed(2)} ms)`);
  }
  line();
  line('Next:');
  line(`  npx movierec recommend --model ${best.path} --user ${activeUser}`);
  line(`  npx movierec train --input ${logPath} --algorithm svdpp --out ${join(flags.out, 'models')}`);
  line('  npx movierec --help');
  if (!human) {
    printJson(io, {
      log: logPath,
      interactions: table.size,
      models: outcomes.map((o) => ({ algorithm: o.bundle.manifest.algorithm, bundle: o.path, fitSeconds: o.fitSeconds, metrics: o.metrics })),
      best: { algorithm: serving.manifest.algorithm, bundle: best.path },
      answers,
    });
  }
}
