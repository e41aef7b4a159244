import { analyzeCanary } from '../lib/rollout/canary-analysis.js';
import type { CanaryParams } from '../lib/rollout/canary-params.js';
import { DEFAULT_CANARY } from '../lib/rollout/canary-params.js';
import type { CanaryDecision, CanaryInput, CanaryVerdict } from '../lib/rollout/canary-types.js';
import { estimateDifference } from '../lib/rollout/confidence-sequence.js';
import type { OnlineRevisionStats } from '../lib/metrics/online-stats.js';
import { Rng } from '../lib/models/rng.js';
import { chooseMovie, drawUser } from '../sim/behaviour.js';
import type { AudienceWorld } from '../sim/world.js';
import { createWorld } from '../sim/world.js';
import { isMain, median, quantile } from './stats.js';

/**
 * The canary analysis in the simulated world, where the truth is known: two
 * recommenders serve the simulated audience (sim/behaviour.ts: a list is
 * followed with P = σ(1.5 (max affinity − 3))), a request goes to the
 * candidate with its current share (10 % first), a request is a hit when
 * the user watches a movie of its list, and every `lookEvery` requests the
 * accumulated stats go to `analyzeCanary` as evaluate passes them at each
 * tick. A step-up moves the share; promote or roll back ends the trial.
 *
 * Recommenders: `taste` — the user's true top 20 (the best possible model);
 * `noisy` / `noisier` — the top 20 by affinity + N(0, 1²) / N(0, 1.4²) (good
 * but imperfect models);
 * `popular` — the 20 most popular movies for everyone.
 * Scenarios and the right call: `better` (noisy → taste): promote; `worse`
 * (taste → popular): roll back; `worse, subtly` (taste → noisier, a drop
 * beyond the margin): roll back; `equal` (taste → taste, a retrain that
 * changed nothing): not roll back.
 */

export type ListModel = (u: number) => readonly number[];
export type Right = 'promote' | 'roll-back' | 'not-roll-back';

export interface Scenario {
  readonly name: string;
  readonly champion: string;
  readonly candidate: string;
  readonly right: Right;
}

export const SCENARIOS: readonly Scenario[] = [
  { name: 'better', champion: 'noisy', candidate: 'taste', right: 'promote' },
  { name: 'worse', champion: 'taste', candidate: 'popular', right: 'roll-back' },
  { name: 'worse, subtly', champion: 'taste', candidate: 'noisier', right: 'roll-back' },
  { name: 'equal', champion: 'taste', candidate: 'taste', right: 'not-roll-back' },
];

export interface CanaryBenchOptions {
  readonly trials?: number;
  readonly seed?: number;
  readonly users?: number;
  readonly movies?: number;
  /** Requests (both sides) between two looks. */
  readonly lookEvery?: number;
  /** A trial that has not decided after this many requests (both sides) stops undecided. */
  readonly maxRequests?: number;
  readonly params?: CanaryParams;
  /** The analysis under test; `naiveAnalysis` shows what peeking does to a plain z-test. */
  readonly analyze?: (input: CanaryInput, params: CanaryParams) => CanaryDecision;
}

/**
 * For comparison only: the textbook fixed-sample Wald tests at 95 % applied
 * at every look, as if each were the only one — roll back when
 * Δ̂/√V < −1.96, promote when (Δ̂ + margin)/√V > 1.96. Peeking inflates its
 * error rate; the always-valid sequence does not.
 */
export function naiveAnalysis(input: CanaryInput, params: CanaryParams): CanaryDecision {
  const hold: CanaryDecision = { verdict: 'hold', nextPercent: null, evidence: [], figures: {} };
  if (input.candidate.served < params.minServed || input.champion.served < params.minServed) return hold;
  const { difference, variance } = estimateDifference(input.candidate, input.champion);
  const se = Math.sqrt(variance);
  if (difference / se < -1.96) return { ...hold, verdict: 'roll-back' };
  if ((difference + params.margin) / se > 1.96) return { ...hold, verdict: 'promote' };
  return hold;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly trials: number;
  readonly right: number;
  readonly verdicts: Readonly<Record<string, number>>;
  /** Decisions the fixed-sample test took at max_served (the sequential test had not concluded). */
  readonly forced: number;
  /** Candidate-side and champion-side served at the decision, per decided trial. */
  readonly candidateServed: readonly number[];
  readonly championServed: readonly number[];
  readonly championHitRate: number;
  readonly candidateHitRate: number;
}

const N = 20;

function topBy(score: (i: number) => number, movies: number): number[] {
  const order = Array.from({ length: movies }, (_, i) => i);
  const scores = order.map(score);
  return order.sort((a, b) => scores[b] - scores[a] || a - b).slice(0, N);
}

/** Each movie's exact draw probability from the world's popularity alias table. */
function popularityWeights(world: AudienceWorld): Float64Array {
  const { prob, alias } = world.popularity;
  const weight = new Float64Array(prob.length);
  for (let k = 0; k < prob.length; k++) {
    weight[k] += prob[k];
    weight[alias[k]] += 1 - prob[k];
  }
  return weight;
}

export function listModels(world: AudienceWorld, seed: number): Readonly<Record<string, ListModel>> {
  const cached = (make: (u: number) => number[]): ListModel => {
    const lists = new Map<number, number[]>();
    return (u) => {
      let list = lists.get(u);
      if (list === undefined) lists.set(u, (list = make(u)));
      return list;
    };
  };
  const noisyModel = (sd: number): ListModel =>
    cached((u) => {
      const rng = new Rng(seed * 1_000_003 + u * 7 + sd);
      return topBy((i) => world.affinityAt(u, i) + rng.normal(0, sd), world.movies);
    });
  const weight = popularityWeights(world);
  const popular = topBy((i) => weight[i], world.movies);
  return {
    taste: cached((u) => topBy((i) => world.affinityAt(u, i), world.movies)),
    noisy: noisyModel(1),
    noisier: noisyModel(1.4),
    popular: () => popular,
  };
}

function stats(revision: string, served: number, hits: number): OnlineRevisionStats {
  return {
    revision,
    modelVersion: revision,
    served,
    hits,
    hitRate: served > 0 ? hits / served : null,
    watchedMinutes: 0,
    ratings: 0,
    meanRating: null,
    fallbackShare: 0,
    latencyP50Ms: 20,
    latencyP95Ms: 40,
  };
}

const isRight = (right: Right, verdict: CanaryVerdict | 'undecided'): boolean =>
  right === 'not-roll-back' ? verdict === 'promote' : verdict === right;

export function benchCanary(options: CanaryBenchOptions = {}): ScenarioResult[] {
  const trials = options.trials ?? 200;
  const seed = options.seed ?? 1;
  const lookEvery = options.lookEvery ?? 100;
  const maxRequests = options.maxRequests ?? 100_000;
  const params = options.params ?? DEFAULT_CANARY;
  const analyze = options.analyze ?? analyzeCanary;
  const world = createWorld({ seed, users: options.users ?? 2000, movies: options.movies ?? 1000 });
  const models = listModels(world, seed);
  return SCENARIOS.map((scenario, s) => {
    const verdicts: Record<string, number> = {};
    const candidateServed: number[] = [];
    const championServed: number[] = [];
    const totals = { served: [0, 0], hits: [0, 0] };
    let right = 0;
    let forced = 0;
    for (let trial = 0; trial < trials; trial++) {
      const rng = new Rng(seed * 7919 + s * 104_729 + trial);
      const served = [0, 0];
      const hits = [0, 0];
      let percent = params.steps[0] ?? 10;
      let verdict: CanaryVerdict | 'undecided' = 'undecided';
      for (let request = 1; request <= maxRequests && verdict === 'undecided'; request++) {
        const side = rng.next() * 100 < percent ? 1 : 0;
        const u = drawUser(world, rng);
        const list = models[side === 1 ? scenario.candidate : scenario.champion](u);
        const choice = chooseMovie(world, rng, u, list);
        served[side]++;
        if (choice.fromList || list.includes(choice.movie)) hits[side]++;
        if (request % lookEvery !== 0) continue;
        const decision = analyze(
          {
            champion: stats('champion', served[0], hits[0]),
            candidate: stats('candidate', served[1], hits[1]),
            candidatePercent: percent,
            championErrorRatio: 0,
            candidateErrorRatio: 0,
          },
          params,
        );
        if (decision.verdict === 'step-up' && decision.nextPercent !== null) percent = decision.nextPercent;
        else if (decision.verdict === 'promote' || decision.verdict === 'roll-back') {
          verdict = decision.verdict;
          if (decision.evidence.some((sentence) => sentence.startsWith('Forced decision'))) forced++;
        }
      }
      verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
      if (isRight(scenario.right, verdict)) right++;
      if (verdict !== 'undecided') {
        candidateServed.push(served[1]);
        championServed.push(served[0]);
      }
      for (const k of [0, 1]) {
        totals.served[k] += served[k];
        totals.hits[k] += hits[k];
      }
    }
    return {
      scenario,
      trials,
      right,
      verdicts,
      forced,
      candidateServed,
      championServed,
      championHitRate: totals.hits[0] / totals.served[0],
      candidateHitRate: totals.hits[1] / totals.served[1],
    };
  });
}

/** One markdown row per scenario. */
export function canaryRows(results: readonly ScenarioResult[]): string[] {
  return results.map((r) => {
    const share = (100 * r.right) / r.trials;
    const verdicts = Object.entries(r.verdicts)
      .map(([verdict, count]) => `${verdict} ${count}`)
      .join(', ');
    return `| ${r.scenario.name} (${r.scenario.champion} → ${r.scenario.candidate}) | ${r.championHitRate.toFixed(3)} → ${r.candidateHitRate.toFixed(3)} | ${r.scenario.right} | ${share.toFixed(1)} % (${verdicts}; ${r.forced} at max_served) | ${median(r.candidateServed).toFixed(0)} / ${quantile(r.candidateServed, 0.9).toFixed(0)} / ${Math.max(...r.candidateServed)} | ${median(r.championServed).toFixed(0)} / ${quantile(r.championServed, 0.9).toFixed(0)} |`;
  });
}

export const CANARY_HEADER = [
  '| scenario | hit rate champion → candidate | right call | right (verdicts) | candidate served at decision, median / p90 / max | champion served, median / p90 |',
  '|---|---|---|---|---|---|',
];

if (isMain(import.meta.url)) {
  // node dist/bench/canary.js [trials = 200] [lookEvery = 100]
  const trials = Number(process.argv[2] ?? 200);
  const lookEvery = Number(process.argv[3] ?? 100);
  const results = benchCanary({ trials, lookEvery });
  console.log(`canary analysis: ${trials} trials per scenario, looks every ${lookEvery} requests, defaults of params.yaml`);
  for (const line of [...CANARY_HEADER, ...canaryRows(results)]) console.log(line);
  console.log(`\nfor comparison, a plain 95 % z-test at every look (peeking), same trials:`);
  for (const line of [...CANARY_HEADER, ...canaryRows(benchCanary({ trials, lookEvery, analyze: naiveAnalysis }))]) console.log(line);
}
