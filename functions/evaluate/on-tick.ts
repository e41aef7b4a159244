import type { EvaluationTick } from '../../lib/messaging/events/evaluation-tick.js';
import type { Logger } from '../../lib/ops/logger.js';

/** The answer to a tick. */
export interface TickAnswer {
  readonly online: string;
  readonly reason: string;
}

/**
 * An evaluation tick (`dev.knative.sources.ping` from the evaluation-tick
 * PingSource, or `io.movierec.evaluation.tick.v1`): the seam for online
 * evaluation. The canary analysis — join served recommendations with later
 * watches per revision, test candidate against champion, then promote, hold
 * or roll back (lib/rollout/rollout-actions.ts) — goes here; for now the
 * tick is acknowledged (202) and logged.
 */
export async function onTick(tick: EvaluationTick, context: { readonly id: string; readonly logger: Logger }): Promise<TickAnswer> {
  context.logger.info('evaluation tick: online evaluation is not enabled yet', { eventId: context.id, reason: tick.reason });
  return { online: 'not enabled yet', reason: tick.reason };
}
