import type { LogLevel } from './config.js';

/**
 * Structured logs: one JSON object per line with `severity` (Cloud Logging's
 * names), `message`, `time` (RFC 3339, which Cloud Logging reads as the entry's
 * timestamp) and bound fields. Fields whose name suggests a secret are redacted.
 */

export const SEVERITIES = ['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warning(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (later fields win). */
  child(fields: LogFields): Logger;
}

/** Anything with a `write(line)`: process.stdout, a file stream, a test's collector. */
export interface LineSink {
  write(line: string): unknown;
}

export interface LoggerOptions {
  readonly out?: LineSink;
  /** Lines below this severity are dropped; `OFF` drops everything. */
  readonly level?: LogLevel;
  readonly fields?: LogFields;
  readonly now?: () => Date;
}

const RANK: Record<LogLevel, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3, OFF: 4 };
const SECRET_KEY = /secret|password|passwd|token|authorization|cookie|credential|api[-_]?key|private[-_]?key/i;
const RESERVED = new Set(['severity', 'message', 'time']);

/** JSON.stringify replacer: errors become {name, message, stack}, bigints strings, secret-named keys `[redacted]`. */
function replacer(key: string, value: unknown): unknown {
  if (key !== '' && SECRET_KEY.test(key)) return '[redacted]';
  if (value instanceof Error) {
    const cause = value.cause === undefined ? {} : { cause: value.cause };
    return { name: value.name, message: value.message, stack: value.stack, ...cause };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function line(severity: Severity, message: string, time: Date, fields: LogFields): string {
  const entry: Record<string, unknown> = { severity, message, time: time.toISOString() };
  for (const [key, value] of Object.entries(fields)) if (!RESERVED.has(key)) entry[key] = value;
  try {
    return `${JSON.stringify(entry, replacer)}\n`;
  } catch {
    // A field that cannot be serialised (a cycle) must not lose the line.
    return `${JSON.stringify({ severity, message, time: entry.time, unserializableFields: Object.keys(fields) })}\n`;
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const out = options.out ?? process.stdout;
  const threshold = RANK[options.level ?? 'INFO'];
  const now = options.now ?? (() => new Date());
  const bound = options.fields ?? {};
  const emit = (severity: Severity) => (message: string, fields: LogFields = {}) => {
    if (RANK[severity] < threshold) return;
    out.write(line(severity, message, now(), { ...bound, ...fields }));
  };
  return {
    debug: emit('DEBUG'),
    info: emit('INFO'),
    warning: emit('WARNING'),
    error: emit('ERROR'),
    child: (fields) => createLogger({ ...options, fields: { ...bound, ...fields } }),
  };
}

/** A logger that writes nothing, for tests. */
export const silentLogger: Logger = createLogger({ level: 'OFF' });

/** A logger that keeps parsed lines in memory, for tests that assert on what was logged. */
export function memoryLogger(level: LogLevel = 'DEBUG'): { readonly logger: Logger; readonly lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const out: LineSink = { write: (text: string) => lines.push(JSON.parse(text) as Record<string, unknown>) };
  return { logger: createLogger({ out, level }), lines };
}
