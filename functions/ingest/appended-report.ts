import type { AppendResult } from '../../lib/events/events-writer.js';
import type { StoredKind } from '../../lib/events/stored-record.js';
import { buildEvent } from '../../lib/messaging/cloud-event-codec.js';
import type { EventSender } from '../../lib/messaging/event-sender.js';
import { eventSource } from '../../lib/messaging/event-types.js';
import type { DataAppended } from '../../lib/messaging/events/data-appended.js';
import { DATA_APPENDED } from '../../lib/messaging/events/data-appended.js';
import type { Logger } from '../../lib/ops/logger.js';
import { EVENT_KINDS } from '../../lib/stream/events.js';

/** The kinds `data.appended` reports under `stored`: the data train and evaluate read. */
export const REPORTED_KINDS = [...EVENT_KINDS, 'served'] as const;

/**
 * Counts what ingest made durable, by kind, and hands the counts since the
 * last report out as `data.appended` data. Only appends that resolved are
 * counted: a record counts once it is durable, a redelivered copy as a
 * duplicate. Rejects count as `rejected`; dead letters are not reported
 * (they are not data: ingest logs each one).
 */
export class AppendedCounter {
  private window = AppendedCounter.empty();
  private since: Date;

  constructor(private readonly now: () => Date = () => new Date()) {
    this.since = now();
  }

  private static empty() {
    return { stored: new Map<StoredKind, number>(), duplicates: 0 };
  }

  add(kind: StoredKind, result: AppendResult): void {
    this.window.stored.set(kind, (this.window.stored.get(kind) ?? 0) + result.stored);
    this.window.duplicates += result.duplicates;
  }

  /** The counts since the last take (or since the start), and a new window; undefined when nothing arrived. */
  take(): DataAppended | undefined {
    const { stored, duplicates } = this.window;
    const since = this.since;
    this.window = AppendedCounter.empty();
    this.since = this.now();
    const reported = Object.fromEntries(REPORTED_KINDS.map((kind) => [kind, stored.get(kind) ?? 0]));
    const rejected = stored.get('rejects') ?? 0;
    if (duplicates === 0 && rejected === 0 && Object.values(reported).every((n) => n === 0)) return undefined;
    return { stored: reported, duplicates, rejected, since: since.toISOString() };
  }
}

export interface AppendedReportsOptions {
  readonly counter: AppendedCounter;
  readonly sender: Pick<EventSender, 'enqueue' | 'flush'>;
  /** How often to report (ms); 0 never reports. */
  readonly everyMs: number;
  readonly logger: Logger;
  readonly now?: () => Date;
}

export interface AppendedReports {
  /** Report now (if anything arrived) and send it. */
  report(): Promise<void>;
  /** Stop the timer after a last report. */
  stop(): Promise<void>;
}

/** Every `everyMs`, sends what was appended since the last report as an `io.movierec.data.appended.v1` event (and logs it). */
export function startAppendedReports(options: AppendedReportsOptions): AppendedReports {
  const { counter, sender, everyMs, logger } = options;
  const now = options.now ?? (() => new Date());
  const report = async () => {
    const data = counter.take();
    if (data === undefined) return;
    logger.info('appended', { ...data });
    sender.enqueue(buildEvent({ type: DATA_APPENDED, source: eventSource('ingest'), data, time: now() }));
    await sender.flush();
  };
  const timer = everyMs > 0 ? setInterval(() => void report(), everyMs) : undefined;
  timer?.unref();
  return {
    report,
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      if (everyMs > 0) await report();
    },
  };
}
