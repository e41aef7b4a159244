import type { Command } from 'commander';
import { listBundleVersions } from '../../lib/artifacts/bundle-catalog.js';
import { readBundle } from '../../lib/artifacts/read-bundle.js';
import { MovierecError } from '../../lib/errors.js';
import type { Algorithm } from '../../lib/models/model.js';
import { loadEvaluateParams } from '../../lib/rollout/evaluate-params.js';
import { bestCandidate, offlineGate, scoresFromMetrics } from '../../lib/rollout/offline-gate.js';
import { loadParams } from '../../lib/training/params.js';
import type { Io } from '../io.js';
import { printJson, say } from '../io.js';
import { algorithmList } from '../options.js';

interface GateFlags {
  models: string;
  algorithms?: Algorithm[];
  champion?: string;
  params: string;
  json?: boolean;
}

export function registerGate(program: Command, io: Io): void {
  program
    .command('gate')
    .summary("the offline gate: may the newest models get traffic? Picks the best that passes")
    .description(
      "Read the newest bundle of each algorithm under --models (every checksum verified) and gate each against the champion's bundle on the offline metrics their manifests record (RMSE within evaluate.gate.rmse_margin, NDCG@20 within ndcg_margin: lib/rollout's offline gate, as evaluate applies it). Prints the best candidate that passed; exits 1 when none did. Without --champion every candidate passes.",
    )
    .requiredOption('--models <dir>', 'the models root (bundles under <algorithm>/<version>/)')
    .option('--algorithms <list>', "comma-separated algorithms (default: params.yaml's train.algorithms)", algorithmList)
    .option('--champion <bundle>', 'the bundle serving now')
    .option('--params <file>', 'params.yaml: evaluate.gate margins, train.algorithms', 'params.yaml')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  movierec gate --models models\n  movierec gate --models models --champion s3://movierec/models/svd/svd-20261126T101500.000Z-1a2b3c4d --json',
    )
    .action(async (flags: GateFlags) => {
      const gateParams = (await loadEvaluateParams(flags.params)).params.gate;
      const algorithms = flags.algorithms ?? (await loadParams(flags.params)).algorithms;
      const champion = flags.champion === undefined ? null : (await readBundle(flags.champion)).manifest;
      const candidates = [];
      for (const algorithm of algorithms) {
        const newest = (await listBundleVersions(flags.models, algorithm)).at(-1);
        if (newest === undefined) continue;
        const bundle = `${flags.models}/${algorithm}/${newest}`;
        const { manifest } = await readBundle(bundle);
        const scores = scoresFromMetrics(manifest.metrics);
        const gate = offlineGate(
          { basis: 'offline', candidate: scores, champion: champion === null ? null : scoresFromMetrics(champion.metrics), ratings: 0, users: 0 },
          gateParams,
        );
        candidates.push({ bundle, version: manifest.version, scores, passed: gate.passed, checks: gate.checks });
      }
      if (candidates.length === 0) throw new MovierecError(`${flags.models}: no bundle of ${algorithms.join(', ')}`);
      const best = bestCandidate(candidates);
      const chosen = best < 0 ? null : candidates[best];
      if (flags.json) printJson(io, { passed: chosen !== null, candidate: chosen?.bundle ?? null, version: chosen?.version ?? null, champion: champion?.version ?? null, candidates });
      else {
        say(io, `champion: ${champion?.version ?? 'none (every candidate passes)'}`);
        for (const c of candidates) say(io, `${c.passed ? 'pass' : 'FAIL'}  ${c.version}: ${c.checks.join('; ')}`);
        say(io, chosen === null ? 'no candidate passed' : `candidate ${chosen.bundle}`);
      }
      if (chosen === null) throw new MovierecError('no candidate passed the offline gate');
    });
}
