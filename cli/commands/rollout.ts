import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError as CommanderArgumentError, Option } from 'commander';
import { readBundle } from '../../lib/artifacts/read-bundle.js';
import { cliStore } from '../object-store.js';
import type { Rollout } from '../../lib/rollout/rollout-actions.js';
import { deployFirst, startCanary } from '../../lib/rollout/rollout-actions.js';
import { serviceRoles } from '../../lib/rollout/service-roles.js';
import type { Io } from '../io.js';
import { printJson, say } from '../io.js';
import { positiveInt } from '../options.js';
import type { PlatformFlags } from '../platform-options.js';
import { addPlatformOptions, onPlatform, resolveTarget } from '../platform-options.js';
import { waitForRevision } from '../wait-revision.js';

interface RolloutFlags extends PlatformFlags {
  percent: number;
  wait: boolean;
  timeoutSeconds: number;
  json?: boolean;
}

function percentArg(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 100) throw new CommanderArgumentError('expected a whole percent from 1 to 100');
  return n;
}

export function registerRollout(program: Command, io: Io): void {
  const command = program
    .command('rollout')
    .summary('serve a model bundle: a canary next to the champion, or the champion when nothing serves yet')
    .description(
      "Check the bundle (manifest, checksums), then ask the serving platform for a new `recommend` revision whose MODEL_URI is BUNDLE. With a champion serving, it becomes the canary (tag candidate) at --percent, an older canary's share going back to the champion; with nothing serving, it takes 100 % as champion. The revision gets traffic only once ready. By default waits until it serves its share.",
    )
    .argument('<bundle>', 'a model bundle folder (as train writes: <models>/<algorithm>/<version>/)')
    .addOption(new Option('--percent <n>', "the canary's share of /recommend traffic, 1–100").argParser(percentArg).default(10));
  addPlatformOptions(command)
    .option('--no-wait', 'return once the platform accepted the change')
    .addOption(new Option('--timeout-seconds <n>', 'how long --wait waits for the revision').argParser(positiveInt).default(120))
    .option('--json', 'print one JSON object on stdout')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  movierec rollout .movierec/models/svd/svd-20261126T100000.000Z-3fa9c2d1',
        '  movierec rollout models/svdpp/svdpp-20261126T110000.000Z-0b1c2d3e --percent 25 --to http://127.0.0.1:9090',
        '  movierec rollout /var/lib/movierec/models/svd/svd-20261126T120000.000Z-9e8d7c6b --kube --namespace movierec --no-wait',
        '',
        'Then: movierec status · movierec promote · movierec rollback',
      ].join('\n'),
    )
    .action(async (bundle: string, flags: RolloutFlags) => runRollout(io, bundle, flags));
}

async function runRollout(io: Io, bundlePath: string, flags: RolloutFlags): Promise<void> {
  const target = await resolveTarget(flags);
  const modelUri = resolve(bundlePath);
  const bundle = await readBundle(cliStore(modelUri));
  const rollout: Rollout = await onPlatform(target, async (platform) => {
    const { champion } = serviceRoles(await platform.describe());
    return champion === null ? deployFirst(platform, modelUri) : startCanary(platform, modelUri, flags.percent);
  });
  const serving = flags.wait
    ? await onPlatform(target, (platform) => waitForRevision(io, platform, { revision: rollout.revision, percent: rollout.percent, timeoutMs: flags.timeoutSeconds * 1000 }))
    : null;
  if (flags.json) {
    printJson(io, { ...rollout, modelUri, modelVersion: bundle.manifest.version, ready: serving?.ready ?? false, waited: flags.wait });
    return;
  }
  const role = rollout.stage === 'full' ? 'champion' : 'canary (tag candidate)';
  const verb = serving === null ? 'will serve' : 'serves';
  say(io, `${rollout.revision} ${verb} ${bundle.manifest.version} at ${rollout.percent} % as ${role} on ${target.label}`);
  if (rollout.replaced !== null) say(io, `the older canary ${rollout.replaced} gave its share back to the champion`);
  if (serving === null) say(io, 'not waiting: it takes its share once ready (movierec status)');
  else if (rollout.stage === 'canary') say(io, 'next: movierec promote (all traffic to it) or movierec rollback');
}
