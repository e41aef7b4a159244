import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { s3UriProblem } from './s3-location.js';

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

/** How a numeric variable is spelled: whole numbers, or decimals too (`0.25` minutes). */
const NUMBER_KINDS = {
  integer: { pattern: /^\d+$/, what: 'an integer', example: 'an integer' },
  decimal: { pattern: /^\d+(\.\d+)?$/, what: 'a number', example: 'a number such as 30 or 0.5' },
} as const;

/** An optional non-negative numeric variable with a default and bounds. */
function numberVar(kind: keyof typeof NUMBER_KINDS, fallback: number, min: number, max: number) {
  const { pattern, what, example } = NUMBER_KINDS[kind];
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const text = raw.trim();
      const n = Number(text);
      if (!pattern.test(text) || !(kind === 'integer' ? Number.isSafeInteger(n) : Number.isFinite(n))) {
        ctx.addIssue({ code: 'custom', message: `expected ${example} (got ${JSON.stringify(raw.slice(0, 40))})` });
        return z.NEVER;
      }
      if (n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `expected ${what} from ${min} to ${max} (got ${n})` });
        return z.NEVER;
      }
      return n;
    });
}

const intVar = (fallback: number, min: number, max: number) => numberVar('integer', fallback, min, max);
const decimalVar = (fallback: number, min: number, max: number) => numberVar('decimal', fallback, min, max);

/** An optional variable where the empty string counts as unset. */
function optionalText() {
  return z
    .string()
    .optional()
    .transform((raw) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim()));
}

const URI_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * A storage location: a folder path, or `s3://bucket[/prefix]` on an S3-API
 * object store (bucket name rules checked here; other schemes refused).
 */
function folderUri(what: string) {
  return required(`expected a ${what} folder path or s3://bucket[/prefix]`)
    .trim()
    .min(1, 'required')
    .superRefine((value, ctx) => {
      const scheme = value.match(URI_SCHEME)?.[1];
      if (scheme === undefined) return;
      const problem = scheme.toLowerCase() === 's3' ? s3UriProblem(value) : `expected a ${what} folder path or s3://bucket[/prefix] (got a ${scheme}:// URI)`;
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    });
}
const modelUri = folderUri('bundle');

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

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A Slack incoming-webhook URL (from a Secret): https, or http to a loopback
 * host (a local receiver in tests and `movierec up`). Unset: nobody is told.
 * Its value is never echoed — the path is the credential.
 */
const slackWebhookUrl = optionalText().refine(
  (value) => {
    if (value === undefined) return true;
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
    } catch {
      return false;
    }
  },
  { error: 'expected an https URL (http only to 127.0.0.1 or localhost); the value is not shown' },
);

/**
 * How to reach object storage when a location is `s3://…`. Credentials
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, profiles, roles) are left to the
 * SDK's default chain: never read, checked or echoed here.
 */
export const ObjectStoreConfigSchema = z.object({
  AWS_REGION: optionalText().refine((value) => value === undefined || /^[a-z0-9][a-z0-9-]{0,39}$/.test(value), {
    error: 'expected a region name such as eu-west-1',
  }),
  /** MinIO, GCS interoperability, s3rver; unset: AWS S3. Never echoed (a URL may hold a user:password part). */
  AWS_ENDPOINT_URL_S3: sinkUrl,
  /** `true` for MinIO-style endpoints (`http://host/bucket/key`). */
  S3_FORCE_PATH_STYLE: optionalText()
    .pipe(z.enum(['true', 'false', 'TRUE', 'FALSE', 'True', 'False'], { error: 'expected true or false' }).optional())
    .transform((value) => value?.toLowerCase() === 'true'),
});
export type ObjectStoreConfig = z.output<typeof ObjectStoreConfigSchema>;

export const BaseConfigSchema = z.object({
  ...ObjectStoreConfigSchema.shape,
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

export const IngestConfigSchema = BaseConfigSchema.extend({
  /** The events store's root. */
  EVENTS_URI: folderUri('events store'),
  /** A segment is closed and a new one started past this size. */
  SEGMENT_MB: intVar(64, 1, 4096),
  /** How often `data.appended` reports the counts since the last one (0: never). */
  APPENDED_EVERY_MS: intVar(10_000, 0, 86_400_000),
});
export type IngestConfig = z.output<typeof IngestConfigSchema>;

export const TrainConfigSchema = BaseConfigSchema.extend({
  EVENTS_URI: folderUri('events store'),
  /** The models root: bundles go to `<MODELS_URI>/<algorithm>/<version>/`. */
  MODELS_URI: folderUri('models'),
  /** Algorithms, hyper-parameters, split and rating scale (the DVC `params.yaml`). */
  PARAMS_FILE: optionalText().transform((value) => value ?? 'params.yaml'),
  /** The training window: the last this many days of events. */
  WINDOW_DAYS: intVar(14, 1, 3650),
  /** Overrides `train.new_data_threshold` of the params file when above 0 (the local runtime retrains sooner). */
  NEW_DATA_THRESHOLD: intVar(0, 0, 1_000_000_000_000),
  /** The commit the image was built from, for bundle manifests (containers have no `.git`); unset: ask git, else null. */
  GIT_COMMIT: optionalText().refine((value) => value === undefined || /^[0-9a-f]{7,64}$/i.test(value), {
    error: 'expected a git commit id (7–64 hex digits)',
  }),
  /** Training failures go to Slack when set (lib/ops/slack-notifier.ts). */
  SLACK_WEBHOOK_URL: slackWebhookUrl,
});
export type TrainConfig = z.output<typeof TrainConfigSchema>;

export const PLATFORMS = ['local', 'knative'] as const;
export type PlatformKind = (typeof PLATFORMS)[number];
const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Which serving platform moves `recommend`'s traffic, and how to reach it:
 * `local` — the local runtime's ingress at `PLATFORM_URL` (required then,
 * checked by `lib/rollout/create-platform.ts`); `knative` — the Kubernetes
 * API from inside the pod (service-account token, cluster CA, namespace).
 */
export const PlatformEnvSchema = z.object({
  PLATFORM: optionalText()
    .pipe(z.enum(PLATFORMS, { error: `expected one of ${PLATFORMS.join(', ')}` }).optional())
    .transform((value): PlatformKind => value ?? 'local'),
  PLATFORM_URL: sinkUrl,
  /** The Knative Service whose revisions serve recommendations. */
  KNATIVE_SERVICE: optionalText().transform((value) => value ?? 'recommend'),
  /** Set by Kubernetes in every pod. */
  KUBERNETES_SERVICE_HOST: optionalText(),
  KUBERNETES_SERVICE_PORT: intVar(443, 1, 65_535),
  /** Unset: the pod's own namespace (`KUBE_NAMESPACE_FILE`). */
  KUBE_NAMESPACE: optionalText(),
  KUBE_TOKEN_FILE: optionalText().transform((value) => value ?? `${SERVICE_ACCOUNT}/token`),
  KUBE_CA_FILE: optionalText().transform((value) => value ?? `${SERVICE_ACCOUNT}/ca.crt`),
  KUBE_NAMESPACE_FILE: optionalText().transform((value) => value ?? `${SERVICE_ACCOUNT}/namespace`),
});
export type PlatformEnv = z.output<typeof PlatformEnvSchema>;

export const EvaluateConfigSchema = BaseConfigSchema.extend({
  EVENTS_URI: folderUri('events store'),
  MODELS_URI: folderUri('models'),
  PARAMS_FILE: optionalText().transform((value) => value ?? 'params.yaml'),
  /** PLATFORM (local | knative) and how to reach it: see PlatformEnvSchema. */
  ...PlatformEnvSchema.shape,
  /** A new revision's first traffic share. */
  CANARY_PERCENT: intVar(10, 1, 100),
  /** Promotions, roll-backs and quality alerts go to Slack when set (lib/ops/slack-notifier.ts). */
  SLACK_WEBHOOK_URL: slackWebhookUrl,
  /** Online evaluation's attribution window: a watch counts for a recommendation within this many minutes after it. */
  ONLINE_WINDOW_MINUTES: decimalVar(30, 0.1, 10_080),
  /** A window is evaluated this long after it closed: served lists and watches reach the store a little late. */
  ONLINE_SETTLE_SECONDS: intVar(120, 0, 3600),
  /** The events store keeps this many days; older segments go once online evaluation has covered them. */
  RETENTION_DAYS: intVar(14, 1, 3650),
});
export type EvaluateConfig = z.output<typeof EvaluateConfigSchema>;

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
