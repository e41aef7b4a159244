import { z } from 'zod';
import { ConfigError } from './config-error.js';

export { ConfigError } from './config-error.js';

/**
 * Configuration from the environment: one schema per function extending a
 * shared base. The only module that reads `process.env`; everything else gets
 * the frozen, typed result passed down.
 */

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'OFF'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What the environment looks like: names to optional strings. */
export type Env = Readonly<Record<string, string | undefined>>;

const required = (what: string) => z.string({ error: (issue) => (issue.input === undefined ? 'required' : what) });

/** An optional non-negative integer variable with a default and bounds. */
function intVar(fallback: number, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const text = raw.trim();
      const n = Number(text);
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) {
        ctx.addIssue({ code: 'custom', message: `expected an integer (got ${JSON.stringify(raw.slice(0, 40))})` });
        return z.NEVER;
      }
      if (n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `expected an integer from ${min} to ${max} (got ${n})` });
        return z.NEVER;
      }
      return n;
    });
}

/** An optional variable where the empty string counts as unset. */
function optionalText() {
  return z
    .string()
    .optional()
    .transform((raw) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim()));
}

const URI_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** A model bundle location. A folder path for now; object-store URIs (`s3://`) come with the S3 store. */
const modelUri = required('expected a bundle folder path')
  .trim()
  .min(1, 'required')
  .refine((value) => !URI_SCHEME.test(value), {
    error: (issue) =>
      `only a bundle folder path is supported for now (got a ${String(issue.input).match(URI_SCHEME)?.[1] ?? ''}:// URI)`,
  });

/** The Broker URL Knative's sink binding injects; its value is never echoed (it may hold credentials). */
const sinkUrl = optionalText().refine(
  (value) => {
    if (value === undefined) return true;
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { error: 'expected an http(s) URL' },
);

export const BaseConfigSchema = z.object({
  /** Read by the framework itself; checked here so a bad value fails at start with the others. */
  PORT: intVar(8080, 0, 65_535),
  /** Knative sets it to the revision name; `local` outside a cluster. */
  K_REVISION: optionalText().transform((value) => value ?? 'local'),
  /** Where events go (Knative sink binding). Without it, emitted events are dropped. */
  K_SINK: sinkUrl,
  LOG_LEVEL: optionalText().pipe(
    z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).optional(),
  ).transform((value): LogLevel => value ?? 'INFO'),
});
export type BaseConfig = z.output<typeof BaseConfigSchema>;

export const RecommendConfigSchema = BaseConfigSchema.extend({
  MODEL_URI: modelUri,
  RECOMMEND_N: intVar(20, 1, 1000),
  SERVED_BATCH_SIZE: intVar(100, 1, 10_000),
  SERVED_FLUSH_MS: intVar(1000, 1, 3_600_000),
});
export type RecommendConfig = z.output<typeof RecommendConfigSchema>;

/**
 * Parse the environment with `schema`: a frozen, typed config, or a
 * ConfigError listing every issue as `NAME: what is wrong`.
 */
export function loadConfig<S extends z.ZodType<object, Env>>(schema: S, env: Env = process.env): Readonly<z.output<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : 'environment'}: ${issue.message}`),
    );
  }
  return Object.freeze(result.data);
}
