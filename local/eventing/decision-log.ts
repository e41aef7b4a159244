import type { CloudEvent } from 'cloudevents';
import type { GateEvidence, ModelRejected } from '../../lib/messaging/events/model-decision.js';
import {
  MODEL_PROMOTED,
  MODEL_REJECTED,
  MODEL_ROLLED_BACK,
  ModelPromotedSchema,
  ModelRejectedSchema,
  ModelRolledBackSchema,
} from '../../lib/messaging/events/model-decision.js';

/**
 * The last model decisions that passed through the Broker —
 * `model.promoted.v1`, `model.rejected.v1`, `model.rolled-back.v1` — with
 * their evidence, for the dashboard. Nothing subscribes to them in
 * `knative/base`, so the Broker is where they are seen. Events whose data is
 * not the contract are skipped (counted), not kept.
 */

export const MODEL_DECISION_KINDS = ['promoted', 'rejected', 'rolled-back'] as const;
export type ModelDecisionKind = (typeof MODEL_DECISION_KINDS)[number];

export interface ModelDecisionEvent {
  readonly id: string;
  /** The event's `time`, else when the Broker took it. */
  readonly at: string;
  readonly kind: ModelDecisionKind;
  readonly candidate: string;
  readonly champion: string | null;
  /** The revision serving the candidate (promoted, rolled back); null when it never served. */
  readonly revision: string | null;
  /** Its traffic share when promoted. */
  readonly percent: number | null;
  readonly stage: 'canary' | 'full' | null;
  readonly reason: string;
  readonly evidence: readonly GateEvidence[];
}

type DecisionFields = Omit<ModelDecisionEvent, 'id' | 'at'>;

/** The decision in `data` for an event of `type`; null when it is not a decision or not the contract. */
function decisionFields(type: string, data: unknown): DecisionFields | null | 'invalid' {
  const common = (d: ModelRejected): Omit<DecisionFields, 'kind'> => ({
    candidate: d.candidate.version,
    champion: d.champion?.version ?? null,
    revision: null,
    percent: null,
    stage: null,
    reason: d.reason,
    evidence: d.evidence,
  });
  switch (type) {
    case MODEL_PROMOTED: {
      const parsed = ModelPromotedSchema.safeParse(data);
      if (!parsed.success) return 'invalid';
      const d = parsed.data;
      return { ...common(d), kind: 'promoted', revision: d.revision, percent: d.percent, stage: d.stage };
    }
    case MODEL_REJECTED: {
      const parsed = ModelRejectedSchema.safeParse(data);
      return parsed.success ? { ...common(parsed.data), kind: 'rejected' } : 'invalid';
    }
    case MODEL_ROLLED_BACK: {
      const parsed = ModelRolledBackSchema.safeParse(data);
      return parsed.success ? { ...common(parsed.data), kind: 'rolled-back', revision: parsed.data.revision } : 'invalid';
    }
    default:
      return null;
  }
}

/** Event data as sent: already an object (JSON modes), or JSON text / bytes. */
function dataOf(event: CloudEvent<unknown>): unknown {
  const { data } = event;
  const text = typeof data === 'string' ? data : data instanceof Uint8Array ? Buffer.from(data).toString('utf8') : undefined;
  if (text === undefined) return data;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class DecisionLog {
  private readonly recent: ModelDecisionEvent[] = [];
  private skippedCount = 0;

  constructor(private readonly keep = 50) {}

  /** Keep `event` when it is a model decision; anything else is ignored. */
  observe(event: CloudEvent<unknown>, now: Date = new Date()): void {
    if (event.type !== MODEL_PROMOTED && event.type !== MODEL_REJECTED && event.type !== MODEL_ROLLED_BACK) return;
    const fields = decisionFields(event.type, dataOf(event));
    if (fields === null) return;
    if (fields === 'invalid') {
      this.skippedCount += 1;
      return;
    }
    const time = event.time === undefined ? now : new Date(event.time);
    this.recent.push({ id: event.id, at: (Number.isNaN(time.getTime()) ? now : time).toISOString(), ...fields });
    if (this.recent.length > this.keep) this.recent.splice(0, this.recent.length - this.keep);
  }

  /** The kept decisions, oldest first. */
  snapshot(): readonly ModelDecisionEvent[] {
    return [...this.recent];
  }

  /** Decision events dropped because their data was not the contract. */
  get skipped(): number {
    return this.skippedCount;
  }
}
