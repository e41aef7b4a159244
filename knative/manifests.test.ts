import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EVENT_TYPES, FUNCTION_NAMES, PLATFORM_EVENT_TYPES } from '../lib/messaging/event-types.js';
import { documentProblem } from './schemas/validate-document.js';
import type { Document } from './test-helpers/kustomize.js';
import { KNATIVE_DIR, kustomize, KUSTOMIZATIONS } from './test-helpers/kustomize.js';

/**
 * Every kustomization of knative/ builds offline, every document is valid for
 * its kind, and the pieces point at each other: sinks and subscribers are
 * Services or Brokers of the same build, every movierec event type is routed
 * or documented as terminal, and the PingSource filters name real sources.
 */

const builds = new Map<string, Document[]>();
beforeAll(async () => {
  for (const folder of KUSTOMIZATIONS) builds.set(folder, await kustomize(folder));
});
const build = (folder: string): Document[] => {
  const documents = builds.get(folder);
  if (documents === undefined) throw new Error(`${folder} was not built`);
  return documents;
};

const Named = z.looseObject({ kind: z.string(), apiVersion: z.string(), metadata: z.looseObject({ name: z.string(), namespace: z.string().optional() }) });
const Ref = z.looseObject({ apiVersion: z.string(), kind: z.string(), name: z.string() });
const Destination = z.looseObject({ ref: Ref.optional(), uri: z.string().optional() });
const Delivery = z.looseObject({ deadLetterSink: Destination.optional() }).optional();
const TriggerSpec = z.looseObject({
  broker: z.string(),
  filter: z.looseObject({ attributes: z.record(z.string(), z.string()) }),
  subscriber: Destination,
  delivery: Delivery,
});
const SourceSpec = z.looseObject({ sink: Destination, delivery: Delivery });

const name = (document: Document): string => Named.parse(document).metadata.name;
const ofKind = (documents: Document[], kind: string) => documents.filter((d) => d.kind === kind);
const specOf = <S extends z.ZodType>(document: Document, schema: S): z.output<S> => schema.parse(document.spec);

/** Every `ref` a document sends events to, with where it is. */
function destinations(document: Document): Array<{ where: string; ref: z.output<typeof Ref> }> {
  const where = `${String(document.kind)} ${name(document)}`;
  const out: Array<{ where: string; ref: z.output<typeof Ref> }> = [];
  const add = (field: string, destination: z.output<typeof Destination> | undefined) => {
    if (destination?.ref !== undefined) out.push({ where: `${where} ${field}`, ref: destination.ref });
  };
  if (document.kind === 'Trigger') {
    const spec = specOf(document, TriggerSpec);
    add('subscriber', spec.subscriber);
    add('delivery.deadLetterSink', spec.delivery?.deadLetterSink);
  } else if (['KafkaSource', 'PingSource', 'SinkBinding'].includes(String(document.kind))) {
    const spec = specOf(document, SourceSpec);
    add('sink', spec.sink);
    add('delivery.deadLetterSink', spec.delivery?.deadLetterSink);
  } else if (document.kind === 'Broker') {
    add('delivery.deadLetterSink', specOf(document, z.looseObject({ delivery: Delivery }).optional().default({})).delivery?.deadLetterSink);
  }
  return out;
}

/** The event types knative/README.md lists under "Terminal events": emitted, consumed by no function. */
async function terminalEventTypes(): Promise<string[]> {
  const readme = await readFile(join(KNATIVE_DIR, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Terminal events'));
  if (section === undefined) throw new Error('knative/README.md has no "## Terminal events" section');
  return [...section.matchAll(/^- `([^`]+)`/gm)].map((match) => match[1] ?? '');
}

describe.each(KUSTOMIZATIONS)('knative/%s', (folder) => {
  it('builds with kubectl kustomize, all in the movierec namespace', () => {
    const documents = build(folder);
    expect(documents.length).toBeGreaterThan(15);
    const namespaced = documents.filter((d) => d.kind !== 'Namespace').map((d) => Named.parse(d).metadata.namespace);
    expect(new Set(namespaced)).toEqual(new Set(['movierec']));
  });

  it('has only documents valid for their kind', () => {
    const problems = build(folder)
      .map((document) => ({ what: `${String(document.kind)} ${name(document)}`, problem: documentProblem(document) }))
      .filter(({ problem }) => problem !== null);
    expect(problems).toEqual([]);
  });

  it('sends every event to a Service or Broker of the same build', () => {
    const documents = build(folder);
    const exists = (kind: string, wanted: string) => documents.some((d) => d.kind === kind && name(d) === wanted);
    const refs = documents.flatMap(destinations);
    expect(refs.length).toBeGreaterThan(8);
    const dangling = refs.filter(({ ref }) => {
      if (ref.apiVersion === 'serving.knative.dev/v1' && ref.kind === 'Service') return !exists('Service', ref.name);
      if (ref.apiVersion === 'eventing.knative.dev/v1' && ref.kind === 'Broker') return !exists('Broker', ref.name);
      return true;
    });
    expect(dangling).toEqual([]);
    for (const trigger of ofKind(documents, 'Trigger')) expect(exists('Broker', specOf(trigger, TriggerSpec).broker)).toBe(true);
  });

  it('routes every movierec event type to a function, or documents it as terminal', async () => {
    const triggers = ofKind(build(folder), 'Trigger').map((t) => specOf(t, TriggerSpec).filter.attributes);
    const routed = new Set(triggers.map((attributes) => attributes.type));
    const terminal = await terminalEventTypes();
    for (const type of terminal) expect(EVENT_TYPES, `${type} is listed as terminal but is no movierec event type`).toContain(type);
    for (const type of terminal) expect(routed.has(type), `${type} is listed as terminal but a Trigger routes it`).toBe(false);
    const unaccounted = EVENT_TYPES.filter((type) => !routed.has(type) && !terminal.includes(type));
    expect(unaccounted).toEqual([]);
    const known: readonly string[] = [...EVENT_TYPES, ...PLATFORM_EVENT_TYPES];
    expect([...routed].filter((type) => type === undefined || !known.includes(type))).toEqual([]);
  });

  it('filters PingSource ticks by the source of a PingSource in the build', () => {
    const documents = build(folder);
    const pingSources = new Set(ofKind(documents, 'PingSource').map((p) => `/apis/v1/namespaces/${Named.parse(p).metadata.namespace ?? ''}/pingsources/${name(p)}`));
    const filtered = ofKind(documents, 'Trigger')
      .map((t) => specOf(t, TriggerSpec).filter.attributes)
      .filter((attributes) => attributes.type === 'dev.knative.sources.ping');
    expect(filtered.length).toBe(pingSources.size);
    for (const attributes of filtered) expect(pingSources).toContain(attributes.source);
  });

  it('runs one Service per function, named containers, each bound to the Broker by the SinkBinding', () => {
    const documents = build(folder);
    const services = ofKind(documents, 'Service');
    expect(services.map(name).sort()).toEqual([...FUNCTION_NAMES].sort());
    const binding = specOf(ofKind(documents, 'SinkBinding')[0] ?? {}, z.looseObject({ subject: z.looseObject({ selector: z.looseObject({ matchLabels: z.record(z.string(), z.string()) }) }) }));
    for (const service of services) {
      const labels = z.looseObject({ metadata: z.looseObject({ labels: z.record(z.string(), z.string()) }) }).parse(service).metadata.labels;
      expect(labels).toMatchObject(binding.subject.selector.matchLabels);
    }
  });
});

describe('the overlays', () => {
  it('label everything without touching selectors (labels with includeSelectors: false, not commonLabels)', () => {
    for (const folder of ['overlays/dev', 'overlays/prod']) {
      const documents = build(folder);
      for (const document of documents) expect(Named.parse(document).metadata).toHaveProperty(['labels', 'app.kubernetes.io/part-of'], 'movierec');
      const selectors = JSON.stringify(documents.map((d) => z.looseObject({ spec: z.unknown().optional() }).parse(d).spec));
      expect(selectors).not.toContain('app.kubernetes.io/instance');
    }
  });

  it('set their image tag, topic and bucket', () => {
    const text = (folder: string) => JSON.stringify(build(folder));
    expect(text('overlays/dev')).toContain('ghcr.io/movierec/movierec:dev');
    expect(text('overlays/prod')).toContain('ghcr.io/movierec/movierec:0.1.0');
    expect(text('overlays/prod')).not.toContain(':latest');
    const topics = (folder: string) => specOf(ofKind(build(folder), 'KafkaSource')[0] ?? {}, z.looseObject({ topics: z.array(z.string()) })).topics;
    expect(topics('overlays/dev')).toEqual(['movielog-dev']);
    expect(topics('overlays/prod')).toEqual(['movielog']);
    expect(text('overlays/dev')).toContain('s3://movierec-dev/models');
    expect(text('overlays/prod')).toContain('s3://movierec-prod/events');
    expect(text('overlays/prod')).not.toContain('/var/lib/movierec');
  });
});
