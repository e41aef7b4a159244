// Wiring only (STYLE.md): config, logger, events store, sender, reports, metrics, registration. The work is in handler.ts.
import { http } from '@google-cloud/functions-framework';
import { EventsWriter } from '../../lib/events/events-writer.js';
import { s3SettingsFrom } from '../../lib/artifacts/s3-settings.js';
import { eventsStorageAt } from '../../lib/events/events-storage-at.js';
import { createEventSender } from '../../lib/messaging/event-sender.js';
import type { IngestConfig } from '../../lib/ops/config.js';
import { ConfigError, IngestConfigSchema, loadConfig } from '../../lib/ops/config.js';
import { createLogger } from '../../lib/ops/logger.js';
import { createMetricsRegistry } from '../../lib/ops/metrics.js';
import { AppendedCounter, startAppendedReports } from './appended-report.js';
import { ingestHttp } from './handler.js';
import { IngestMetrics } from './ingest-metrics.js';

let config: IngestConfig;
try {
  config = loadConfig(IngestConfigSchema);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  createLogger().error('ingest: invalid configuration', { function: 'ingest', issues: error.issues });
  process.exit(1);
}

const logger = createLogger({ level: config.LOG_LEVEL }).child({ function: 'ingest', revision: config.K_REVISION });
const writer = new EventsWriter(eventsStorageAt(config.EVENTS_URI, { s3: s3SettingsFrom(config) }), { segmentBytes: config.SEGMENT_MB * 1024 * 1024 });
const sender = createEventSender({ sink: config.K_SINK, batchSize: 1, flushMs: 1000, logger: logger.child({ component: 'appended-events' }) });
const counter = new AppendedCounter();
const metrics = new IngestMetrics(createMetricsRegistry({ labels: { function: 'ingest', revision: config.K_REVISION } }), {
  rejectsByReason: () => writer.stats().rejectsByReason,
});
startAppendedReports({ counter, sender, everyMs: config.APPENDED_EVERY_MS, logger });
logger.info('ingest ready', { eventsUri: config.EVENTS_URI, segmentMb: config.SEGMENT_MB, appendedEveryMs: config.APPENDED_EVERY_MS });

http('ingest', ingestHttp({ writer, counter, metrics, logger, stats: () => writer.stats() }));
