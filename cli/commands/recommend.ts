import { Option } from 'commander';
import type { Command } from 'commander';
import { loadServingModel } from '../../lib/artifacts/model-bundle.js';
import type { Io } from '../io.js';
import { printJson, say } from '../io.js';
import { cliStore } from '../object-store.js';
import { positiveInt } from '../options.js';

interface RecommendFlags {
  model: string;
  user: string;
  n: number;
  json?: boolean;
}

export function registerRecommend(program: Command, io: Io): void {
  program
    .command('recommend')
    .summary('print the top movies for a user from a model bundle')
    .description(
      'Load a model bundle (verifying every checksum) and print the n best movies the user has not seen, comma-separated and best first, as the course\'s GET /recommend/<userId> answers. A user the model does not know gets the most popular movies, and a note on stderr.',
    )
    .requiredOption('-m, --model <dir>', 'a model bundle folder (holding manifest.json), or its s3://bucket/prefix')
    .requiredOption('-u, --user <id>', 'the user id, as on the stream')
    .addOption(new Option('-n, --n <count>', 'how many movies').argParser(positiveInt).default(20))
    .option('--json', 'print one JSON object on stdout')
    .addHelpText('after', '\nExample:\n  movierec recommend --model models/svd/svd-20261126T101500.000Z-1a2b3c4d --user 326332')
    .action(async (flags: RecommendFlags) => {
      const serving = await loadServingModel(cliStore(flags.model));
      const answer = serving.recommend(flags.user, flags.n);
      if (flags.json) {
        printJson(io, { user: flags.user, movies: answer.movies, fallback: answer.fallback, model: serving.manifest.version });
        return;
      }
      if (answer.fallback) io.stderr.write(`note: user ${flags.user} is unknown to ${serving.manifest.version}: most popular movies\n`);
      say(io, answer.movies.join(','));
    });
}
