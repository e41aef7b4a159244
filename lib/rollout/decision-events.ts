import type { CloudEvent } from 'cloudevents';
import { buildEvent } from '../messaging/cloud-event-codec.js';
import { eventSource } from '../messaging/event-types.js';
import type { ModelPromoted, ModelRejected, ModelRolledBack } from '../messaging/events/model-decision.js';
import { MODEL_PROMOTED, MODEL_REJECTED, MODEL_ROLLED_BACK } from '../messaging/events/model-decision.js';

/**
 * evaluate's decisions as CloudEvents (source `/movierec/evaluate`, subject
 * = the candidate's model version), for the offline gate now and the canary
 * analysis later.
 */

export function promotedEvent(data: ModelPromoted, time?: Date): CloudEvent<ModelPromoted> {
  return buildEvent({ type: MODEL_PROMOTED, source: eventSource('evaluate'), data, subject: data.candidate.version, time });
}

export function rejectedEvent(data: ModelRejected, time?: Date): CloudEvent<ModelRejected> {
  return buildEvent({ type: MODEL_REJECTED, source: eventSource('evaluate'), data, subject: data.candidate.version, time });
}

export function rolledBackEvent(data: ModelRolledBack, time?: Date): CloudEvent<ModelRolledBack> {
  return buildEvent({ type: MODEL_ROLLED_BACK, source: eventSource('evaluate'), data, subject: data.candidate.version, time });
}
