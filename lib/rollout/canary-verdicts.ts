import type { CanaryVerdict } from './canary-types.js';

/** Every CanaryVerdict, for schemas and metric labels. */
export const CANARY_VERDICTS = ['promote', 'hold', 'roll-back', 'step-up'] as const satisfies readonly CanaryVerdict[];

export function isCanaryVerdict(value: unknown): value is CanaryVerdict {
  return typeof value === 'string' && (CANARY_VERDICTS as readonly string[]).includes(value);
}
