// kafkajs is CommonJS: Node's ESM loader gives only its default export.
import kafkajs from 'kafkajs';
import type { logCreator, LogEntry } from 'kafkajs';
import type { LogFields, Logger } from '../ops/logger.js';

const { logLevel } = kafkajs;

/**
 * kafkajs logs through our logger: each entry becomes one JSON line with
 * `component: kafkajs`, its namespace (`Consumer`, `Cluster`, …) and its
 * fields. kafkajs's level is set from ours by the caller; `silentLogger`
 * therefore silences it too.
 */
export function kafkaLogCreator(logger: Logger): logCreator {
  const base = logger.child({ component: 'kafkajs' });
  return () => (entry: LogEntry) => {
    const { message, timestamp: _timestamp, ...extra } = entry.log;
    const fields: LogFields = { namespace: entry.namespace, ...extra };
    switch (entry.level) {
      case logLevel.ERROR:
        base.error(message, fields);
        break;
      case logLevel.WARN:
        base.warning(message, fields);
        break;
      case logLevel.INFO:
        base.info(message, fields);
        break;
      default:
        base.debug(message, fields);
    }
  };
}
