import { describe, expect, it } from 'vitest';
import { BaseConfigSchema, ConfigError, EvaluateConfigSchema, loadConfig, RecommendConfigSchema, TrainConfigSchema } from './config.js';
import { MovierecError } from '../errors.js';

function issuesOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadConfig(RecommendConfigSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills the defaults for recommend and freezes the result', () => {
    const config = loadConfig(RecommendConfigSchema, { MODEL_URI: ' models/svd/v1 ' });
    expect(config).toEqual({
      PORT: 8080,
      K_REVISION: 'local',
      K_SINK: undefined,
      LOG_LEVEL: 'INFO',
      MODEL_URI: 'models/svd/v1',
      S3_FORCE_PATH_STYLE: false,
      RECOMMEND_N: 20,
      SERVED_BATCH_SIZE: 100,
      SERVED_FLUSH_MS: 1000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable it knows', () => {
    const config = loadConfig(RecommendConfigSchema, {
      MODEL_URI: '/srv/models/svd/svd-20261126T101500.000Z-1a2b3c4d',
      PORT: '8090',
      K_REVISION: 'recommend-00002',
      K_SINK: 'http://broker-ingress.knative-eventing.svc.cluster.local/movierec/default',
      LOG_LEVEL: 'DEBUG',
      RECOMMEND_N: '10',
      SERVED_BATCH_SIZE: '50',
      SERVED_FLUSH_MS: '250',
      UNRELATED: 'ignored',
    });
    expect(config).toMatchObject({ PORT: 8090, K_REVISION: 'recommend-00002', LOG_LEVEL: 'DEBUG', RECOMMEND_N: 10, SERVED_BATCH_SIZE: 50, SERVED_FLUSH_MS: 250 });
    expect(config.K_SINK).toBe('http://broker-ingress.knative-eventing.svc.cluster.local/movierec/default');
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig(RecommendConfigSchema, { MODEL_URI: 'm', K_SINK: '', K_REVISION: ' ', RECOMMEND_N: '' });
    expect(config).toMatchObject({ K_SINK: undefined, K_REVISION: 'local', RECOMMEND_N: 20 });
  });

  it('lists every issue at once, one per variable', () => {
    const issues = issuesOf({ PORT: 'eighty', K_SINK: 'broker', LOG_LEVEL: 'LOUD', RECOMMEND_N: '0', SERVED_FLUSH_MS: '1.5' });
    expect(issues).toEqual([
      'PORT: expected an integer (got "eighty")',
      'K_SINK: expected an http(s) URL',
      'LOG_LEVEL: expected one of DEBUG, INFO, WARNING, ERROR, OFF',
      'MODEL_URI: required',
      'RECOMMEND_N: expected an integer from 1 to 1000 (got 0)',
      'SERVED_FLUSH_MS: expected an integer (got "1.5")',
    ]);
  });

  it.each([
    ['gs://models/svd/v1', 'MODEL_URI: expected a bundle folder path or s3://bucket[/prefix] (got a gs:// URI)'],
    ['s3://No_Caps/svd', 'MODEL_URI: bucket name "No_Caps" may hold only a–z, 0–9, \'.\' and \'-\', and must start and end with a letter or digit'],
    ['s3://ab/svd', 'MODEL_URI: bucket name "ab" must be 3–63 characters long'],
    ['s3://192.168.1.10/svd', 'MODEL_URI: bucket name "192.168.1.10" must not look like an IP address'],
    ['s3://models/svd//v1', 'MODEL_URI: prefix "svd//v1": every /-separated part must be non-empty, not start with \'.\' and hold no \'\\\''],
    ['s3://models/../v1', 'MODEL_URI: prefix "../v1": every /-separated part must be non-empty, not start with \'.\' and hold no \'\\\''],
    ['', 'MODEL_URI: required'],
  ])('refuses MODEL_URI %j', (value, issue) => {
    expect(issuesOf({ MODEL_URI: value })).toEqual([issue]);
  });

  it.each(['s3://movierec-models/svd/svd-20261126T101500.000Z-1a2b3c4d', 's3://models', 's3://models/', 'S3://models/a.b/c'])(
    'takes MODEL_URI %j, an object-store location',
    (value) => {
      expect(loadConfig(RecommendConfigSchema, { MODEL_URI: value }).MODEL_URI).toBe(value);
    },
  );

  it('reads the object-store variables and leaves credentials to the SDK', () => {
    const config = loadConfig(RecommendConfigSchema, {
      MODEL_URI: 's3://models/svd/v1',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000',
      S3_FORCE_PATH_STYLE: 'true',
      AWS_SECRET_ACCESS_KEY: 'never-read-here',
    });
    expect(config).toMatchObject({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: true });
    expect(JSON.stringify(config)).not.toContain('never-read-here');
    expect(loadConfig(RecommendConfigSchema, { MODEL_URI: 'm', S3_FORCE_PATH_STYLE: 'false' }).S3_FORCE_PATH_STYLE).toBe(false);
  });

  it('refuses bad object-store variables without echoing the endpoint', () => {
    expect(issuesOf({ MODEL_URI: 'm', AWS_REGION: 'EU WEST', AWS_ENDPOINT_URL_S3: 'minio:9000', S3_FORCE_PATH_STYLE: 'yes' })).toEqual([
      'AWS_REGION: expected a region name such as eu-west-1',
      'AWS_ENDPOINT_URL_S3: expected an http(s) URL',
      'S3_FORCE_PATH_STYLE: expected true or false',
    ]);
  });

  it('never echoes the sink URL, which may hold credentials', () => {
    const issues = issuesOf({ MODEL_URI: 'm', K_SINK: 'ftp://user:hunter2@broker' });
    expect(issues).toEqual(['K_SINK: expected an http(s) URL']);
  });

  it('throws a MovierecError whose message names every issue', () => {
    expect(() => loadConfig(RecommendConfigSchema, { PORT: '70000' })).toThrow(MovierecError);
    expect(() => loadConfig(RecommendConfigSchema, { PORT: '70000' })).toThrow(
      'invalid configuration: PORT: expected an integer from 0 to 65535 (got 70000); MODEL_URI: required',
    );
  });

  it('parses the shared base alone', () => {
    expect(loadConfig(BaseConfigSchema, {})).toEqual({ PORT: 8080, K_REVISION: 'local', K_SINK: undefined, LOG_LEVEL: 'INFO', S3_FORCE_PATH_STYLE: false });
  });
});

describe('SLACK_WEBHOOK_URL (evaluate and train)', () => {
  const evaluateEnv = { EVENTS_URI: 'e', MODELS_URI: 'm', PLATFORM_URL: 'http://127.0.0.1:8080' };
  const trainEnv = { EVENTS_URI: 'e', MODELS_URI: 'm' };
  const secret = 'T0/B0/s3cr3tValue';

  it.each([
    ['https://hooks.slack.com/services/T0/B0/x'],
    ['http://127.0.0.1:4010/services/T0/B0/x'],
    ['http://localhost:4010/hook'],
  ])('takes %s', (url) => {
    expect(loadConfig(EvaluateConfigSchema, { ...evaluateEnv, SLACK_WEBHOOK_URL: url }).SLACK_WEBHOOK_URL).toBe(url);
    expect(loadConfig(TrainConfigSchema, { ...trainEnv, SLACK_WEBHOOK_URL: ` ${url} ` }).SLACK_WEBHOOK_URL).toBe(url);
  });

  it('is optional, blank counting as unset', () => {
    expect(loadConfig(EvaluateConfigSchema, evaluateEnv).SLACK_WEBHOOK_URL).toBeUndefined();
    expect(loadConfig(TrainConfigSchema, { ...trainEnv, SLACK_WEBHOOK_URL: '  ' }).SLACK_WEBHOOK_URL).toBeUndefined();
  });

  it.each([[`http://hooks.slack.com/services/${secret}`], [`ftp://127.0.0.1/${secret}`], [`hooks.slack.com/${secret}`]])(
    'refuses %s without echoing it',
    (url) => {
      for (const [schema, env] of [
        [EvaluateConfigSchema, evaluateEnv],
        [TrainConfigSchema, trainEnv],
      ] as const) {
        let caught: unknown;
        try {
          loadConfig(schema, { ...env, SLACK_WEBHOOK_URL: url });
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(ConfigError);
        const issues = caught instanceof ConfigError ? caught.issues : [];
        expect(issues).toEqual(['SLACK_WEBHOOK_URL: expected an https URL (http only to 127.0.0.1 or localhost); the value is not shown']);
        expect(caught instanceof Error ? caught.message : '').not.toContain('s3cr3t');
      }
    },
  );
});

describe('EvaluateConfigSchema: online evaluation and retention', () => {
  const base = { EVENTS_URI: '/e', MODELS_URI: '/m', PLATFORM_URL: 'http://127.0.0.1:8080' };
  it('defaults to a 30-minute attribution window and 14 days of retention', () => {
    expect(loadConfig(EvaluateConfigSchema, base)).toMatchObject({ ONLINE_WINDOW_MINUTES: 30, RETENTION_DAYS: 14 });
  });

  it('takes a fractional window (seconds-long windows for a fast local loop) and a settle time', () => {
    expect(loadConfig(EvaluateConfigSchema, { ...base, ONLINE_WINDOW_MINUTES: '0.25', ONLINE_SETTLE_SECONDS: '5' })).toMatchObject({ ONLINE_WINDOW_MINUTES: 0.25, ONLINE_SETTLE_SECONDS: 5 });
    expect(() => loadConfig(EvaluateConfigSchema, { ...base, ONLINE_WINDOW_MINUTES: '1e3' })).toThrow(/ONLINE_WINDOW_MINUTES: expected a number such as 30 or 0.5/);
  });

  it('reads them, and refuses zero', () => {
    expect(loadConfig(EvaluateConfigSchema, { ...base, ONLINE_WINDOW_MINUTES: '45', RETENTION_DAYS: '7' })).toMatchObject({ ONLINE_WINDOW_MINUTES: 45, RETENTION_DAYS: 7 });
    expect(() => loadConfig(EvaluateConfigSchema, { ...base, ONLINE_WINDOW_MINUTES: '0', RETENTION_DAYS: '0' })).toThrow(/ONLINE_WINDOW_MINUTES: expected a number from 0.1 to 10080 \(got 0\)[\s\S]*RETENTION_DAYS: expected an integer from 1 to 3650 \(got 0\)/);
  });
});
