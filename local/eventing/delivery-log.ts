/**
 * What `/status` says about deliveries: running counts of events delivered,
 * retries made and events dead-lettered, and the last 20 deliveries, newest
 * first (a batch is one delivery of `count` events).
 */

export const DELIVERY_OUTCOMES = ['delivered', 'dead-lettered', 'dead-letter-file', 'aborted'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export interface DeliveryRecord {
  readonly type: string;
  readonly source: string;
  /** The (first) event's id. */
  readonly id: string;
  /** Events in this delivery (1 unless a batch). */
  readonly count: number;
  /** The subscriber's name (a Service, or a URI). */
  readonly subscriber: string;
  /** The last HTTP status from the subscriber; 0 when none answered. */
  readonly status: number;
  readonly outcome: DeliveryOutcome;
  readonly attempts: number;
  /** ISO time the delivery finished. */
  readonly at: string;
}

export interface DeliveryCounts {
  readonly delivered: number;
  readonly retried: number;
  readonly deadLettered: number;
}

export class DeliveryLog {
  private readonly recent: DeliveryRecord[] = [];
  private counts = { delivered: 0, retried: 0, deadLettered: 0 };

  constructor(private readonly keep = 20) {}

  retried(): void {
    this.counts.retried += 1;
  }

  record(entry: DeliveryRecord): void {
    if (entry.outcome === 'delivered') this.counts.delivered += entry.count;
    else if (entry.outcome !== 'aborted') this.counts.deadLettered += entry.count;
    this.recent.unshift(entry);
    if (this.recent.length > this.keep) this.recent.length = this.keep;
  }

  snapshot(): DeliveryCounts & { readonly last: readonly DeliveryRecord[] } {
    return { ...this.counts, last: [...this.recent] };
  }
}
