// Wiring only (STYLE.md): config, logger, sender, model load, metrics, registration. The work is in handler.ts.
import { http } from '@google-cloud/functions-framework';
import { loadServingModel } from '../../lib/artifacts/model-bundle.js';
import { s3SettingsFrom } from '../../lib/artifacts/s3-settings.js';
import { storeAt } from '../../lib/artifacts/store-at.js';
import { createEventSender } from '../../lib/messaging/event-sender.js';
import type { RecommendConfig } from '../../lib/ops/config.js';
import { ConfigError, loadConfig, RecommendConfigSchema } from '../../lib/ops/config.js';
import { createLogger } from '../../lib/ops/logger.js';
import { createMetricsRegistry } from '../../lib/ops/metrics.js';
import { recommendHttp, trackModel } from './handler.js';
import { RecommendMetrics } from './recommend-metrics.js';

let config: RecommendConfig;
try {
  config = loadConfig(RecommendConfigSchema);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  createLogger().error('recommend: invalid configuration', { function: 'recommend', issues: error.issues });
  process.exit(1);
}

const logger = createLogger({ level: config.LOG_LEVEL }).child({ function: 'recommend', revision: config.K_REVISION });
const sender = createEventSender({
  sink: config.K_SINK,
  batchSize: config.SERVED_BATCH_SIZE,
  flushMs: config.SERVED_FLUSH_MS,
  logger: logger.child({ component: 'served-events' }),
});
const model = trackModel(loadServingModel(storeAt(config.MODEL_URI, { s3: s3SettingsFrom(config) })), logger);
const metrics = new RecommendMetrics(createMetricsRegistry({ labels: { function: 'recommend', revision: config.K_REVISION } }), config.K_REVISION);

http('recommend', recommendHttp({ model, sender, logger, metrics, n: config.RECOMMEND_N, revision: config.K_REVISION }));
