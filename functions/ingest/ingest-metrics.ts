import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { AppendResult } from '../../lib/events/events-writer.js';
import type { StoredKind, StoredRecord } from '../../lib/events/stored-record.js';
import { STORED_KINDS } from '../../lib/events/stored-record.js';

/** How a line delivered to ingest ended: newly stored, dropped as a duplicate, or kept as a reject. */
export const INGEST_OUTCOMES = ['stored', 'duplicate', 'rejected'] as const;
export type IngestOutcome = (typeof INGEST_OUTCOMES)[number];

/** Commit latencies of a local fsync up to a slow network store. */
const COMMIT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Kinds whose `time` is the event's own instant (rejects and dead letters carry when they arrived). */
const TIMED: ReadonlySet<StoredKind> = new Set(STORED_KINDS.filter((kind) => kind !== 'rejects' && kind !== 'dead_letter'));

/** One kind's counts as plain numbers (read at scrape), with the label sets they are exposed under. */
interface KindCounts {
  readonly fresh: Readonly<Record<'kind' | 'outcome', string>>;
  readonly duplicate: Readonly<Record<'kind' | 'outcome', string>>;
  stored: number;
  duplicates: number;
}

export interface IngestMetricsOptions {
  /** Rejects made durable by reason since start (the writer's `stats().rejectsByReason`), read at scrape time. */
  readonly rejectsByReason?: () => Readonly<Record<string, number>>;
}

/**
 * Ingest's metrics (names in COMMON.md / monitoring/README.md), on the
 * process registry:
 * - `movierec_ingest_lines_total{kind, outcome}`: records counted once durable;
 *   `kind` is the stored kind (`rejects` for a line kept as a reject, whose
 *   outcome is `rejected`), a redelivered copy is `duplicate`;
 * - `movierec_ingest_rejects_total{reason}`: durable rejects by reason;
 * - `movierec_ingest_commit_duration_seconds`: from a delivery's append to
 *   its records being durable (the group-commit wait included);
 * - `movierec_ingest_last_stored_timestamp_seconds`: wall time of the last
 *   durable append that stored data (not rejects or dead letters);
 * - `movierec_ingest_lag_seconds`: that append's receive time minus the
 *   newest stored record's own time.
 *
 * The hot path adds to plain numbers and observes one histogram; the
 * counters and gauges are filled from those numbers when scraped.
 */
export class IngestMetrics {
  private readonly byKind = new Map<StoredKind, KindCounts>();
  private readonly commit: Histogram;
  private lastStoredMs = 0;
  private lastReceivedMs = 0;
  private newestMs = Number.NEGATIVE_INFINITY;

  constructor(
    /** The process registry (`createMetricsRegistry`); the handler answers `GET /metrics` with it. */
    readonly registry: Registry,
    options: IngestMetricsOptions = {},
  ) {
    for (const kind of STORED_KINDS) {
      const fresh = { kind, outcome: kind === 'rejects' ? 'rejected' : 'stored' };
      this.byKind.set(kind, { fresh, duplicate: { kind, outcome: 'duplicate' }, stored: 0, duplicates: 0 });
    }
    const byKind = this.byKind;
    new Counter({
      name: 'movierec_ingest_lines_total',
      help: 'Records delivered to ingest, counted once durable, by stored kind and outcome (stored, duplicate, rejected).',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
      collect() {
        this.reset();
        // Every kind has its series from the start (at 0), so rates and ratios exist before the first line.
        for (const counts of byKind.values()) {
          this.inc(counts.fresh, counts.stored);
          this.inc(counts.duplicate, counts.duplicates);
        }
      },
    });
    const rejectsByReason = options.rejectsByReason;
    new Counter({
      name: 'movierec_ingest_rejects_total',
      help: 'Lines kept as rejects (durable), by reason.',
      labelNames: ['reason'] as const,
      registers: [registry],
      collect() {
        if (rejectsByReason === undefined) return;
        this.reset();
        for (const [reason, count] of Object.entries(rejectsByReason())) this.inc({ reason }, count);
      },
    });
    this.commit = new Histogram({
      name: 'movierec_ingest_commit_duration_seconds',
      help: 'Time from a delivery handing its records to the events writer until they are durable (group commit included).',
      buckets: COMMIT_BUCKETS,
      registers: [registry],
    });
    const lastStored = () => this.lastStoredMs / 1000;
    const lag = () => (Number.isFinite(this.newestMs) ? Math.max(0, this.lastReceivedMs - this.newestMs) / 1000 : 0);
    new Gauge({
      name: 'movierec_ingest_last_stored_timestamp_seconds',
      help: 'Wall time of the last durable append that stored data (0 before the first).',
      registers: [registry],
      collect() {
        this.set(lastStored());
      },
    });
    new Gauge({
      name: 'movierec_ingest_lag_seconds',
      help: 'Receive time of the last stored data minus the newest stored record’s own time (0 before the first).',
      registers: [registry],
      collect() {
        this.set(lag());
      },
    });
  }

  /**
   * One append resolved: `records` of one kind went to the writer at
   * `startedMs` (performance.now) and are durable at `nowMs` (wall clock);
   * they arrived at `receivedMs`.
   */
  appended(kind: StoredKind, result: AppendResult, records: readonly StoredRecord[], times: AppendTimes): void {
    const counts = this.byKind.get(kind);
    if (counts !== undefined) {
      counts.stored += result.stored;
      counts.duplicates += result.duplicates;
    }
    this.commit.observe((performance.now() - times.startedMs) / 1000);
    if (result.stored === 0 || !TIMED.has(kind)) return;
    let newest = this.newestMs;
    for (const record of records) if (record.time > newest) newest = record.time;
    this.newestMs = newest;
    this.lastReceivedMs = times.receivedMs;
    this.lastStoredMs = times.nowMs;
  }
}

export interface AppendTimes {
  /** When the records went to the writer (`performance.now()`). */
  readonly startedMs: number;
  /** When the delivery arrived (wall clock, ms). */
  readonly receivedMs: number;
  /** Now (wall clock, ms). */
  readonly nowMs: number;
}
