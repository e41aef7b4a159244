import { z } from 'zod';
import { isTopicName } from '../../lib/messaging/channel.js';
import type { Resource } from '../manifests/load-manifests.js';
import { ManifestError, resourcesOf } from '../manifests/load-manifests.js';
import { parseCron } from './cron.js';
import { DeliverySpecSchema, DestinationSchema } from './delivery-spec.js';

/**
 * The eventing kinds of `knative/` as the local runtime reads them: Broker,
 * Trigger, KafkaSource and PingSource specs, each checked with zod through
 * `resourcesOf` (a bad one is a ManifestError naming the resource and field).
 * Fields the local runtime has no use for (a KafkaSource's `bootstrapServers`,
 * a Broker's `config`) are checked loosely and ignored.
 */

export const BrokerSpecSchema = z
  .object({ config: z.unknown().optional(), delivery: DeliverySpecSchema.optional() })
  .optional()
  .transform((spec) => spec ?? {});

export const TriggerSpecSchema = z.object({
  broker: z.string().min(1),
  filter: z.object({ attributes: z.record(z.string(), z.string()).optional() }).optional(),
  subscriber: DestinationSchema,
  delivery: DeliverySpecSchema.optional(),
});

export const INITIAL_OFFSETS = ['earliest', 'latest'] as const;

export const KafkaSourceSpecSchema = z.object({
  consumerGroup: z.string().min(1),
  bootstrapServers: z.array(z.string().min(1)).min(1),
  topics: z.array(z.string().refine(isTopicName, { error: 'expected a Kafka topic name ([a-zA-Z0-9._-], 1-249 characters)' })).min(1),
  /** Knative's default is `latest`. */
  initialOffset: z.enum(INITIAL_OFFSETS).optional(),
  delivery: DeliverySpecSchema.optional(),
  sink: DestinationSchema,
});

const CronSchema = z.string().transform((text, ctx) => {
  const parsed = parseCron(text);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.reason });
    return z.NEVER;
  }
  return parsed.schedule;
});

export const PingSourceSpecSchema = z
  .object({
    schedule: CronSchema,
    timezone: z
      .string()
      .refine((zone) => ['UTC', 'Etc/UTC', 'GMT'].includes(zone), { error: 'the local runtime runs schedules in UTC only' })
      .optional(),
    contentType: z.string().min(1).optional(),
    data: z.string().optional(),
    dataBase64: z.string().base64().optional(),
    sink: DestinationSchema,
  })
  .superRefine((spec, ctx) => {
    if (spec.data !== undefined && spec.dataBase64 !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['dataBase64'], message: 'set data or dataBase64, not both' });
    }
    if (spec.data !== undefined && /json/i.test(spec.contentType ?? '')) {
      try {
        JSON.parse(spec.data);
      } catch {
        ctx.addIssue({ code: 'custom', path: ['data'], message: `contentType is ${spec.contentType} but data is not JSON` });
      }
    }
  });

export const LOCAL_BATCH_SIZE_ANNOTATION = 'movierec.io/local-batch-size';

/** The KafkaSource's `movierec.io/local-batch-size` (1–10,000), or undefined without the annotation. */
export function localBatchSize(resource: Resource, source = 'knative/base'): number | undefined {
  const raw = resource.metadata.annotations?.[LOCAL_BATCH_SIZE_ANNOTATION];
  if (raw === undefined) return undefined;
  const size = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || size < 1 || size > 10_000) {
    throw new ManifestError(
      source,
      `${resource.kind} ${resource.metadata.name}: metadata.annotations.${LOCAL_BATCH_SIZE_ANNOTATION}: expected an integer from 1 to 10000 (got ${JSON.stringify(raw)})`,
    );
  }
  return size;
}

export function eventingResources(resources: readonly Resource[], source = 'knative/base') {
  return {
    brokers: resourcesOf(resources, 'Broker', BrokerSpecSchema, source),
    triggers: resourcesOf(resources, 'Trigger', TriggerSpecSchema, source),
    kafkaSources: resourcesOf(resources, 'KafkaSource', KafkaSourceSpecSchema, source),
    pingSources: resourcesOf(resources, 'PingSource', PingSourceSpecSchema, source),
  };
}

export const namespaceOf = (resource: Resource): string => resource.metadata.namespace ?? 'default';
