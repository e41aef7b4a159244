// Wiring only (STYLE.md): config, params, logger, sender, events store, metrics, trainer, registration. The work is in handler.ts and train-run.ts.
import { http } from '@google-cloud/functions-framework';
import { s3SettingsFrom } from '../../lib/artifacts/s3-settings.js';
import { storeAt } from '../../lib/artifacts/store-at.js';
import { eventsStorageAt } from '../../lib/events/events-storage-at.js';
import { createEventSender } from '../../lib/messaging/event-sender.js';
import type { TrainConfig } from '../../lib/ops/config.js';
import { ConfigError, loadConfig, TrainConfigSchema } from '../../lib/ops/config.js';
import { createLogger } from '../../lib/ops/logger.js';
import { createMetricsRegistry } from '../../lib/ops/metrics.js';
import { createNotifier } from '../../lib/ops/slack-notifier.js';
import { gitCommit, packageVersion } from '../../lib/ops/version.js';
import type { TrainParams } from '../../lib/training/params.js';
import { loadParams, ParamsError } from '../../lib/training/params.js';
import { trainHttp } from './handler.js';
import { TrainMetrics } from './train-metrics.js';
import { trainRunner } from './train-run.js';
import { createTrainer } from './trainer.js';

let config: TrainConfig;
let params: TrainParams;
try {
  config = loadConfig(TrainConfigSchema);
  params = await loadParams(config.PARAMS_FILE);
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof ParamsError)) throw error;
  createLogger().error('train: invalid configuration', { function: 'train', issues: error instanceof ConfigError ? error.issues : [error.message] });
  process.exit(1);
}

const logger = createLogger({ level: config.LOG_LEVEL }).child({ function: 'train', revision: config.K_REVISION });
if (config.WINDOW_DAYS !== params.windowDays) {
  logger.warning('WINDOW_DAYS differs from train.window_days in the params file; reading WINDOW_DAYS', { windowDays: config.WINDOW_DAYS });
}
const sender = createEventSender({ sink: config.K_SINK, batchSize: 1, flushMs: 1000, logger: logger.child({ component: 'trained-events' }) });
const metrics = new TrainMetrics(createMetricsRegistry({ labels: { function: 'train', revision: config.K_REVISION } }));
const run = trainRunner({
  storage: eventsStorageAt(config.EVENTS_URI, { s3: s3SettingsFrom(config) }),
  models: storeAt(config.MODELS_URI, { s3: s3SettingsFrom(config) }),
  params,
  windowDays: config.WINDOW_DAYS,
  code: { packageVersion: packageVersion(), gitCommit: gitCommit(config.GIT_COMMIT) },
  sender,
  logger,
  metrics,
  notifier: createNotifier(config, logger.child({ component: 'slack' })),
});
const { algorithms, minInteractions } = params;
const newDataThreshold = config.NEW_DATA_THRESHOLD > 0 ? config.NEW_DATA_THRESHOLD : params.newDataThreshold;
http('train', trainHttp({ trainer: createTrainer({ run, algorithms, minInteractions, newDataThreshold, logger }), algorithms, logger, metrics }));
