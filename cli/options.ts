import { InvalidArgumentError as CommanderArgumentError, Option } from 'commander';
import type { Algorithm } from '../lib/models/model.js';
import { ALGORITHMS, isAlgorithm } from '../lib/models/model.js';
import type { RatingScale } from '../lib/data/records.js';

/** Input formats the readers understand; `auto` sniffs the file. */
export const FORMATS = ['auto', 'movielens', 'csv', 'course-csv', 'course-log'] as const;
export type Format = (typeof FORMATS)[number];

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new CommanderArgumentError('expected a positive integer');
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new CommanderArgumentError('expected an integer ≥ 0');
  return n;
}

/** A TCP port, 0–65535 (0: the system picks a free one). */
export function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new CommanderArgumentError('expected a port from 0 to 65535');
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new CommanderArgumentError('expected a number > 0');
  return n;
}

export function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1) throw new CommanderArgumentError('expected a fraction in [0, 1)');
  return n;
}

/** `--scale 1-5` or `--scale 1-10`. */
export function ratingScale(value: string): RatingScale {
  const m = /^(\d+)-(\d+)$/.exec(value);
  const min = m ? Number(m[1]) : Number.NaN;
  const max = m ? Number(m[2]) : Number.NaN;
  if (!m || !(min < max)) throw new CommanderArgumentError('expected MIN-MAX, e.g. 1-5 or 1-10');
  return { min, max };
}

/** `--param name=value`, repeatable, for hyper-parameters without a flag of their own. */
export function collectParam(value: string, previous: Record<string, number>): Record<string, number> {
  const m = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(value);
  const n = m ? Number(m[2]) : Number.NaN;
  if (!m || !Number.isFinite(n)) throw new CommanderArgumentError('expected NAME=NUMBER, e.g. alpha=10');
  return { ...previous, [m[1]]: n };
}

export function algorithmOption(): Option {
  return new Option('-a, --algorithm <name>', 'algorithm to fit').choices(ALGORITHMS).makeOptionMandatory();
}

export function formatOption(): Option {
  return new Option('-f, --format <format>', 'input format (auto sniffs the file)').choices(FORMATS).default('auto');
}

/** Hyper-parameter flags shared by `train` and `evaluate`. */
export function hyperParameterOptions(): Option[] {
  return [
    new Option('--factors <n>', 'latent factors').argParser(positiveInt),
    new Option('--epochs <n>', 'training epochs (iterations for als)').argParser(positiveInt),
    new Option('--lr <x>', 'SGD learning rate').argParser(positiveNumber),
    new Option('--reg <x>', 'regularisation').argParser(positiveNumber),
    new Option('--seed <n>', 'random seed').argParser(nonNegativeInt),
    new Option('--param <name=value>', 'any other hyper-parameter, repeatable (e.g. alpha=10)')
      .argParser(collectParam)
      .default({}, 'none'),
    new Option('--scale <min-max>', "rating scale (default: the format's own: csv 0.5-5, others 1-5)").argParser(ratingScale),
  ];
}

export interface HyperParameterFlags {
  factors?: number;
  epochs?: number;
  lr?: number;
  reg?: number;
  seed?: number;
  param: Record<string, number>;
}

/** The hyper-parameters the user named, and only those (the algorithm fills its defaults). */
export function rawParams(flags: HyperParameterFlags): Record<string, number> {
  const out: Record<string, number> = { ...flags.param };
  for (const key of ['factors', 'epochs', 'lr', 'reg', 'seed'] as const) {
    const v = flags[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** `svd,svdpp,als`: a comma-separated list of algorithms, in the canonical order. */
export function algorithmList(value: string): Algorithm[] {
  const names = value.split(',').map((s) => s.trim());
  const bad = names.filter((n) => !isAlgorithm(n));
  if (bad.length > 0) throw new CommanderArgumentError(`unknown ${bad.join(', ')}; allowed: ${ALGORITHMS.join(', ')}`);
  return ALGORITHMS.filter((a) => names.includes(a));
}

/** An instant: an ISO 8601 date-time (`2026-11-26T10:00:00Z`) or day (`2026-11-26`, UTC midnight); ms since the epoch. */
export function instant(value: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value) : Number.NaN;
  if (Number.isNaN(ms)) throw new CommanderArgumentError('expected an ISO date or date-time, e.g. 2026-11-26 or 2026-11-26T10:00:00Z');
  return ms;
}

/** The end of a window: `now`, `latest` (just after the newest stored event) or an instant. */
export function windowEnd(value: string): number | 'now' | 'latest' {
  return value === 'now' || value === 'latest' ? value : instant(value);
}
