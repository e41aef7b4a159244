// Wiring only (STYLE.md): config, params, logger, sender, platform, stores, metrics, registration. The work is in handler.ts.
import { http } from '@google-cloud/functions-framework';
import { readBundle } from '../../lib/artifacts/read-bundle.js';
import { s3SettingsFrom } from '../../lib/artifacts/s3-settings.js';
import { storeAt } from '../../lib/artifacts/store-at.js';
import { eventsStorageAt } from '../../lib/events/events-storage-at.js';
import { EventsWriter } from '../../lib/events/events-writer.js';
import { readInteractions } from '../../lib/events/read-interactions.js';
import { createEventSender } from '../../lib/messaging/event-sender.js';
import type { EvaluateConfig } from '../../lib/ops/config.js';
import { ConfigError, EvaluateConfigSchema, loadConfig } from '../../lib/ops/config.js';
import { createLogger } from '../../lib/ops/logger.js';
import { createMetricsRegistry } from '../../lib/ops/metrics.js';
import { createNotifier } from '../../lib/ops/slack-notifier.js';
import { analyzeCanary } from '../../lib/rollout/canary-analysis.js';
import type { DecideCanary } from '../../lib/rollout/canary-types.js';
import type { LoadedEvaluateParams } from '../../lib/rollout/evaluate-params.js';
import { loadEvaluateParams } from '../../lib/rollout/evaluate-params.js';
import type { ChosenPlatform } from '../../lib/rollout/create-platform.js';
import { createPlatform } from '../../lib/rollout/create-platform.js';
import { evaluateHttp } from './handler.js';
import { createOnlineStore } from './online-store.js';
import { readServedLists } from './read-served.js';

let config: EvaluateConfig;
let chosen: ChosenPlatform;
try {
  config = loadConfig(EvaluateConfigSchema);
  chosen = await createPlatform(config);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  createLogger().error('evaluate: invalid configuration', { function: 'evaluate', issues: error.issues });
  process.exit(1);
}

const logger = createLogger({ level: config.LOG_LEVEL }).child({ function: 'evaluate', revision: config.K_REVISION });
let params: LoadedEvaluateParams;
try {
  params = await loadEvaluateParams(config.PARAMS_FILE);
} catch (error) {
  logger.error('evaluate: invalid params file', { error });
  process.exit(1);
}
if (!params.found) logger.warning('params file not found; the offline gate uses its defaults', { file: config.PARAMS_FILE, gate: params.params.gate });

const s3 = s3SettingsFrom(config);
const storage = eventsStorageAt(config.EVENTS_URI, { s3 });
const writer = new EventsWriter(storage);
const sender = createEventSender({ sink: config.K_SINK, batchSize: 100, flushMs: 1000, logger: logger.child({ component: 'decision-events' }) });

const canary = params.params.canary;
const decideCanary: DecideCanary = (input) => analyzeCanary(input, canary);

http(
  'evaluate',
  evaluateHttp({
    platform: chosen.platform,
    readBundle: (uri) => readBundle(storeAt(uri, { s3 })),
    readHoldout: async (window, scale) => (await readInteractions(storage, window, { scale })).records,
    readServed: (window) => readServedLists(storage, window, logger),
    gate: params.params.gate,
    canaryPercent: config.CANARY_PERCENT,
    sender,
    logger,
    online: createOnlineStore(storage, writer),
    decideCanary,
    notifier: createNotifier(config, logger.child({ component: 'slack' })),
    registry: createMetricsRegistry(),
    windowMinutes: config.ONLINE_WINDOW_MINUTES,
    settleMs: config.ONLINE_SETTLE_SECONDS * 1000,
    retentionDays: config.RETENTION_DAYS,
  }),
);
