import type { ListedSegment } from '../../lib/events/events-reader.js';
import { EventsReader } from '../../lib/events/events-reader.js';
import type { EventsStorage } from '../../lib/events/events-storage.js';
import type { EventsWriter } from '../../lib/events/events-writer.js';
import type { OnlineInputs } from '../../lib/events/read-online-inputs.js';
import { readOnlineInputs } from '../../lib/events/read-online-inputs.js';
import { readLatest } from '../../lib/events/read-latest.js';
import type { RetentionPolicy } from '../../lib/events/safe-retention.js';
import { applyRetention } from '../../lib/events/safe-retention.js';
import { dayStart } from '../../lib/events/segment-key.js';
import type { StoredRecord } from '../../lib/events/stored-record.js';
import { dataRecord } from '../../lib/events/stored-record.js';
import { eventSource } from '../../lib/messaging/event-types.js';
import { OnlineReportSchema } from '../../lib/metrics/online-report-schema.js';
import type { OnlineReport } from '../../lib/metrics/online-stats.js';
import type { CanaryDecisionRecord } from '../../lib/rollout/canary-record.js';
import { CanaryDecisionRecordSchema } from '../../lib/rollout/canary-record.js';

/** What online evaluation keeps and reads in the events store. */
export interface OnlineStore {
  /** Served lists of [from, to) and the watches and ratings up to to + windowMs. */
  readInputs(range: { readonly from: number; readonly to: number; readonly windowMs: number }): Promise<OnlineInputs>;
  /** The newest report's `to` (every list served before it was evaluated); null before the first report. */
  watermark(): Promise<number | null>;
  /** The start of the earliest day holding served lists; null when none was ever stored. */
  firstServedDay(): Promise<number | null>;
  appendReport(report: OnlineReport): Promise<void>;
  appendDecision(record: CanaryDecisionRecord): Promise<void>;
  /** The newest `limit` reports, oldest first. */
  latestReports(limit: number): Promise<OnlineReport[]>;
  /** Every report whose window ends after `time` (ms), oldest first. */
  reportsSince(time: number): Promise<OnlineReport[]>;
  /** The newest `limit` decisions, oldest first. */
  latestDecisions(limit: number): Promise<CanaryDecisionRecord[]>;
  /** Retention (lib/events/safe-retention.ts); answers the segments deleted. */
  applyRetention(policy: RetentionPolicy): Promise<ListedSegment[]>;
}

const SOURCE = eventSource('evaluate');

/**
 * The OnlineStore over the events store: reports are `online` records
 * (`time` = the report's `to`, id `report/<from>/<to>`, so a redelivered
 * tick stores nothing twice), decisions `canary` records (`time` = when
 * made). Stored records that no longer match their schema are skipped.
 */
export function createOnlineStore(storage: EventsStorage, writer: Pick<EventsWriter, 'append'>, now: () => number = Date.now): OnlineStore {
  const reports = (records: readonly StoredRecord[]) =>
    records.flatMap((record) => {
      const parsed = record.kind === 'online' ? OnlineReportSchema.safeParse(record.data) : null;
      return parsed?.success === true ? [parsed.data] : [];
    });
  const decisions = (records: readonly StoredRecord[]) =>
    records.flatMap((record) => {
      const parsed = record.kind === 'canary' ? CanaryDecisionRecordSchema.safeParse(record.data) : null;
      return parsed?.success === true ? [parsed.data] : [];
    });
  return {
    readInputs: (range) => readOnlineInputs(storage, range),
    async watermark() {
      const [latest] = reports(await readLatest(storage, 'online', 1));
      return latest === undefined ? null : Date.parse(latest.to);
    },
    async firstServedDay() {
      const [day] = await new EventsReader(storage).days('served');
      return day === undefined ? null : dayStart(day);
    },
    async appendReport(report) {
      const to = Date.parse(report.to);
      await writer.append([dataRecord(SOURCE, `report/${report.from}/${report.to}`, 'online', to, { ...report }, now())]);
    },
    async appendDecision(record) {
      await writer.append([dataRecord(SOURCE, `decision/${record.at}/${record.candidate.revision}`, 'canary', Date.parse(record.at), { ...record }, now())]);
    },
    latestReports: async (limit) => reports(await readLatest(storage, 'online', limit)),
    async reportsSince(time) {
      const records: StoredRecord[] = [];
      await new EventsReader(storage).scan({ from: time + 1, kinds: ['online'] }, (record) => records.push(record));
      return reports(records.sort((a, b) => a.time - b.time));
    },
    latestDecisions: async (limit) => decisions(await readLatest(storage, 'canary', limit)),
    applyRetention: (policy) => applyRetention(storage, policy),
  };
}
