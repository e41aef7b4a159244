import type { Command } from 'commander';
import { MovierecError } from '../../lib/errors.js';
import { rollBack } from '../../lib/rollout/rollout-actions.js';
import type { Io } from '../io.js';
import { printJson, say } from '../io.js';
import type { PlatformFlags } from '../platform-options.js';
import { addPlatformOptions, onPlatform, resolveTarget } from '../platform-options.js';

interface RollbackFlags extends PlatformFlags {
  json?: boolean;
}

export function registerRollback(program: Command, io: Io): void {
  const command = program
    .command('rollback')
    .summary('take the canary out: its share goes back to the champion and it is drained')
    .description(
      'The revision tagged candidate goes to 0 % and leaves the split; the champion takes its share back. In-flight requests to the canary finish. Fails when there is no canary or no champion.',
    );
  addPlatformOptions(command)
    .option('--json', 'print one JSON object on stdout')
    .addHelpText('after', '\nExamples:\n  movierec rollback\n  movierec rollback --to http://127.0.0.1:9090 --json\n  movierec rollback --kube --namespace movierec')
    .action(async (flags: RollbackFlags) => {
      const target = await resolveTarget(flags);
      const moved = await onPlatform(target, rollBack);
      if (moved === null) throw new MovierecError(`nothing to roll back on ${target.label}: no canary next to a champion`);
      if (flags.json) printJson(io, moved);
      else say(io, `${moved.revision} rolled back: its share went back to the champion ${moved.champion}`);
    });
}
