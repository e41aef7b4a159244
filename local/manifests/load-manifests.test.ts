import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultManifestsFolder, loadManifests, ManifestError, resourcesOf } from './load-manifests.js';

describe('loadManifests', () => {
  it('reads every resource of knative/base with the kustomization namespace', async () => {
    const resources = await loadManifests(defaultManifestsFolder());
    const kinds = new Set(resources.map((r) => r.kind));
    for (const kind of ['Service', 'Broker', 'Trigger', 'KafkaSource', 'PingSource', 'SinkBinding']) expect(kinds).toContain(kind);
    // Cluster-only kinds load too (the runtime reads the ConfigMap's data and ignores the rest).
    for (const kind of ['ConfigMap', 'ServiceAccount', 'Role', 'RoleBinding', 'PrometheusRule', 'PodMonitor']) expect(kinds).toContain(kind);
    expect(resources.find((r) => r.kind === 'ConfigMap')?.data).toMatchObject({ EVENTS_URI: '/var/lib/movierec/events' });
    const services = resources.filter((r) => r.kind === 'Service').map((r) => r.metadata.name);
    expect(services.sort()).toEqual(['evaluate', 'ingest', 'recommend', 'train']);
    expect(resources.filter((r) => r.kind !== 'Namespace').every((r) => r.metadata.namespace === 'movierec')).toBe(true);
  });

  it('names the file and the field of a bad resource', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'manifests-'));
    await writeFile(join(folder, 'kustomization.yaml'), 'resources: [a.yaml]\n');
    await writeFile(join(folder, 'a.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {}\n');
    const error = await loadManifests(folder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestError);
    expect(String(error)).toMatch(/a\.yaml: .*metadata\.name/);
  });

  it('checks each spec with the schema of its kind', async () => {
    const resources = await loadManifests(defaultManifestsFolder());
    expect(() => resourcesOf(resources, 'PingSource', z.object({ schedule: z.number() }))).toThrow(/PingSource retrain-schedule: schedule/);
  });
});
