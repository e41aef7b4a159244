import { z } from 'zod';
import { formatIssues } from '../../lib/errors.js';
import type { TrafficTag } from '../../lib/rollout/platform.js';
import { TrafficTargetSchema } from '../../lib/rollout/platform.js';
import type { RevisionPhase } from './revision.js';

/** A traffic target after parsing (tag defaulted). */
export interface ParsedTarget {
  readonly revision: string;
  readonly percent: number;
  readonly tag: TrafficTag | null;
}

const TargetsSchema = z.array(TrafficTargetSchema);

/** Parse targets from outside; every issue as `index.field: message`. */
export function parseTargets(input: unknown): { ok: true; targets: ParsedTarget[] } | { ok: false; reasons: string[] } {
  const parsed = TargetsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reasons: parsed.error.issues.map((issue) => formatIssues([issue])) };
  return { ok: true, targets: parsed.data };
}

/**
 * Why a whole split cannot be applied, one reason per problem; empty when it
 * can. A split names at least one revision, each once; names revisions that
 * exist and are not draining; its percents sum to 100; a revision with a
 * share is ready; a tag names one revision.
 */
export function trafficProblems(targets: readonly ParsedTarget[], phases: ReadonlyMap<string, RevisionPhase>): string[] {
  const reasons: string[] = [];
  if (targets.length === 0) reasons.push('traffic must name at least one revision');
  const seen = new Set<string>();
  const tags = new Map<TrafficTag, number>();
  let sum = 0;
  for (const target of targets) {
    sum += target.percent;
    if (seen.has(target.revision)) reasons.push(`revision ${target.revision} is named more than once`);
    seen.add(target.revision);
    if (target.tag !== null) tags.set(target.tag, (tags.get(target.tag) ?? 0) + 1);
    const phase = phases.get(target.revision);
    if (phase === undefined) {
      reasons.push(`revision ${target.revision} does not exist`);
    } else if (phase === 'draining') {
      reasons.push(`revision ${target.revision} is draining`);
    } else if (phase !== 'ready' && target.percent > 0) {
      reasons.push(`revision ${target.revision} is not ready (${phase}) and cannot take ${target.percent} %`);
    }
  }
  if (targets.length > 0 && sum !== 100) reasons.push(`percents sum to ${sum}, not 100`);
  for (const [tag, count] of tags) if (count > 1) reasons.push(`tag ${tag} is given to ${count} revisions`);
  return reasons;
}
