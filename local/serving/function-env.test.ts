import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../manifests/load-manifests.js';
import { defaultManifestsFolder, loadManifests } from '../manifests/load-manifests.js';
import { functionArgs, functionEnv, mapDataPath, revisionName, sourcePath } from './function-env.js';
import type { FunctionSpec } from './service-specs.js';
import { functionSpecs, sinkBoundServices } from './service-specs.js';

let resources: Resource[];
let specs: Map<string, FunctionSpec>;
const spec = (name: string): FunctionSpec => {
  const found = specs.get(name);
  if (found === undefined) throw new Error(`no Service ${name}`);
  return found;
};

beforeAll(async () => {
  resources = await loadManifests(defaultManifestsFolder());
  specs = functionSpecs(resources);
});

describe('the Services of knative/base', () => {
  it('run under the functions-framework CLI with their --target and --source', () => {
    expect([...specs.keys()].sort()).toEqual(['evaluate', 'ingest', 'recommend', 'train']);
    expect(spec('recommend')).toMatchObject({ target: 'recommend', source: 'dist/functions/recommend/index.js', readinessPath: '/healthz' });
    expect(spec('train').readinessPath).toBe('/healthz');
    expect(functionArgs(spec('ingest'), '/pkg')).toEqual(['--target=ingest', '--source=/pkg/dist/functions/ingest/index.js']);
    expect(sourcePath(spec('evaluate'), '/pkg')).toBe('/pkg/dist/functions/evaluate/index.js');
  });

  it('are all selected by the SinkBinding label selector', () => {
    expect([...sinkBoundServices(resources, specs.values())].sort()).toEqual(['evaluate', 'ingest', 'recommend', 'train']);
  });

  it('are not selected when their label does not match', () => {
    const unlabelled = { ...spec('train'), labels: { 'movierec.io/emits-events': 'false' } };
    const unnamed = { ...spec('ingest'), labels: {} };
    expect([...sinkBoundServices(resources, [unlabelled, unnamed, spec('recommend')])]).toEqual(['recommend']);
  });
});

describe('functionEnv', () => {
  const dataDir = '/tmp/movierec-data';

  it('maps /var/lib/movierec paths under the data dir and leaves other values alone', () => {
    expect(mapDataPath('/var/lib/movierec/models/bootstrap', dataDir)).toBe(join(dataDir, 'models/bootstrap'));
    expect(mapDataPath('/var/lib/movierec', dataDir)).toBe(dataDir);
    expect(mapDataPath('/var/lib/movierecords/x', dataDir)).toBe('/var/lib/movierecords/x');
    expect(mapDataPath('params.yaml', dataDir)).toBe('params.yaml');
  });

  it('gives train its ConfigMap settings and leaves out the optional Slack Secret the runtime lacks', () => {
    const env = functionEnv({ spec: spec('train'), dataDir, revision: 'train-00001', sink: undefined });
    expect(env).toMatchObject({ NODE_ENV: 'production', EVENTS_URI: join(dataDir, 'events'), WINDOW_DAYS: '14' });
    expect(env).not.toHaveProperty('SLACK_WEBHOOK_URL');
    expect(spec('train').secretEnv).toEqual([{ name: 'SLACK_WEBHOOK_URL', secret: 'movierec-slack', key: 'webhook-url', optional: true }]);
  });

  it('gives train its manifest env, mapped, and what Knative injects', () => {
    const env = functionEnv({ spec: spec('train'), dataDir, revision: revisionName('train', 1), sink: 'http://127.0.0.1:9/movierec/default' });
    const manifest = Object.fromEntries(spec('train').env.map(({ name, value }) => [name, mapDataPath(value, dataDir)]));
    expect(manifest).toMatchObject({ EVENTS_URI: join(dataDir, 'events'), MODELS_URI: join(dataDir, 'models'), PARAMS_FILE: 'params.yaml' });
    expect(env).toEqual({
      ...manifest,
      K_SERVICE: 'train',
      K_CONFIGURATION: 'train',
      K_REVISION: 'train-00001',
      K_SINK: 'http://127.0.0.1:9/movierec/default',
    });
  });

  it('lets the caller override the manifest, and a deploy override MODEL_URI (mapped)', () => {
    const env = functionEnv({
      spec: spec('evaluate'),
      dataDir: 'rel-data',
      revision: 'evaluate-00001',
      sink: undefined,
      extraEnv: { PLATFORM_URL: 'http://127.0.0.1:8080', LOG_LEVEL: 'WARNING' },
    });
    expect(env.PLATFORM_URL).toBe('http://127.0.0.1:8080');
    expect(env.LOG_LEVEL).toBe('WARNING');
    expect(env.EVENTS_URI).toBe(join(resolve('rel-data'), 'events'));
    expect(env).not.toHaveProperty('K_SINK');

    const recommend = functionEnv({
      spec: spec('recommend'),
      dataDir,
      revision: revisionName('recommend', 12),
      sink: undefined,
      extraEnv: { MODEL_URI: '/elsewhere' },
      overrides: { MODEL_URI: '/var/lib/movierec/models/svd/v2' },
    });
    expect(recommend).toMatchObject({ MODEL_URI: join(dataDir, 'models/svd/v2'), RECOMMEND_N: '20', K_REVISION: 'recommend-00012' });
  });
});
