// Wiring only (STYLE.md): config, params, logger, sender, platform, stores, registration. The work is in handler.ts.
import { http } from '@google-cloud/functions-framework';
import { readBundle } from '../../lib/artifacts/read-bundle.js';
import { FsEventsStorage } from '../../lib/events/fs-events-storage.js';
import { readInteractions } from '../../lib/events/read-interactions.js';
import { createEventSender } from '../../lib/messaging/event-sender.js';
import type { EvaluateConfig } from '../../lib/ops/config.js';
import { ConfigError, EvaluateConfigSchema, loadConfig } from '../../lib/ops/config.js';
import { createLogger } from '../../lib/ops/logger.js';
import type { LoadedEvaluateParams } from '../../lib/rollout/evaluate-params.js';
import { loadEvaluateParams } from '../../lib/rollout/evaluate-params.js';
import type { ChosenPlatform } from '../../lib/rollout/create-platform.js';
import { createPlatform } from '../../lib/rollout/create-platform.js';
import { evaluateHttp } from './handler.js';
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

const storage = new FsEventsStorage(config.EVENTS_URI);
const sender = createEventSender({ sink: config.K_SINK, batchSize: 100, flushMs: 1000, logger: logger.child({ component: 'decision-events' }) });

http(
  'evaluate',
  evaluateHttp({
    platform: chosen.platform,
    readBundle: (uri) => readBundle(uri),
    readHoldout: async (window, scale) => (await readInteractions(storage, window, { scale })).records,
    readServed: (window) => readServedLists(storage, window, logger),
    gate: params.params.gate,
    canaryPercent: config.CANARY_PERCENT,
    sender,
    logger,
  }),
);
