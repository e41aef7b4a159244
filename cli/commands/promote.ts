import type { Command } from 'commander';
import { MovierecError } from '../../lib/errors.js';
import { promote } from '../../lib/rollout/rollout-actions.js';
import type { Io } from '../io.js';
import { printJson, say } from '../io.js';
import type { PlatformFlags } from '../platform-options.js';
import { addPlatformOptions, onPlatform, resolveTarget } from '../platform-options.js';

interface PromoteFlags extends PlatformFlags {
  json?: boolean;
}

export function registerPromote(program: Command, io: Io): void {
  const command = program
    .command('promote')
    .summary('give the canary all the traffic: it becomes the champion, the old champion is drained')
    .description(
      'The revision tagged candidate takes 100 % of /recommend traffic and the champion tag; every other revision leaves the split and is drained (in-flight requests finish). Fails when there is no canary.',
    );
  addPlatformOptions(command)
    .option('--json', 'print one JSON object on stdout')
    .addHelpText('after', '\nExamples:\n  movierec promote\n  movierec promote --to http://127.0.0.1:9090 --json\n  movierec promote --kube --namespace movierec')
    .action(async (flags: PromoteFlags) => {
      const target = await resolveTarget(flags);
      const moved = await onPlatform(target, promote);
      if (moved === null) throw new MovierecError(`nothing to promote on ${target.label}: no revision is tagged candidate (movierec rollout BUNDLE starts one)`);
      if (flags.json) printJson(io, moved);
      else say(io, `${moved.revision} is the champion at 100 %; ${moved.champion === moved.revision ? 'nothing else served' : `${moved.champion} is drained`}`);
    });
}
