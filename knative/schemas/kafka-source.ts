import { z } from 'zod';

/**
 * `KafkaSource` (sources.knative.dev/v1beta1, knative-extensions/eventing-kafka-broker),
 * which @kubernetes-models/knative lacks, from its documented shape
 * (knative.dev/docs/eventing/sources/kafka-source): bootstrap servers, topics,
 * consumer group, initial offset, consumers, TLS/SASL from Secrets, the duck
 * `delivery` spec and a `sink`. Strict objects: a misspelt field is an error,
 * as the CRD's structural schema prunes it silently.
 */

const SecretKeySelector = z.strictObject({
  secretKeyRef: z.strictObject({ name: z.string().min(1), key: z.string().min(1), optional: z.boolean().optional() }),
});

const KReference = z.strictObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
});

export const DestinationSchema = z
  .strictObject({ ref: KReference.optional(), uri: z.string().min(1).optional(), CACerts: z.string().optional(), audience: z.string().optional() })
  .refine((destination) => destination.ref !== undefined || destination.uri !== undefined, { error: 'a destination needs ref or uri' });

/** ISO-8601 durations as Knative parses them (PT0.1S, PT1M, P1D). */
const Duration = z.string().regex(/^P(?!$)(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/, 'an ISO-8601 duration');

export const DeliverySpecSchema = z.strictObject({
  deadLetterSink: DestinationSchema.optional(),
  retry: z.number().int().min(0).optional(),
  backoffPolicy: z.enum(['linear', 'exponential']).optional(),
  backoffDelay: Duration.optional(),
  timeout: Duration.optional(),
  retryAfterMax: Duration.optional(),
  format: z.enum(['json', 'binary']).optional(),
});

const NetSchema = z.strictObject({
  sasl: z
    .strictObject({ enable: z.boolean().optional(), user: SecretKeySelector.optional(), password: SecretKeySelector.optional(), type: SecretKeySelector.optional() })
    .optional(),
  tls: z
    .strictObject({ enable: z.boolean().optional(), cert: SecretKeySelector.optional(), key: SecretKeySelector.optional(), caCert: SecretKeySelector.optional() })
    .optional(),
});

/** Kafka's own rule for topic names. */
const Topic = z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'a Kafka topic name');

export const KafkaSourceSchema = z.strictObject({
  apiVersion: z.literal('sources.knative.dev/v1beta1'),
  kind: z.literal('KafkaSource'),
  metadata: z.looseObject({
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS-1123 label'),
    namespace: z.string().min(1).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.strictObject({
    bootstrapServers: z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'host:port')).min(1),
    topics: z.array(Topic).min(1),
    consumerGroup: z.string().min(1).optional(),
    initialOffset: z.enum(['earliest', 'latest']).optional(),
    consumers: z.number().int().min(1).optional(),
    net: NetSchema.optional(),
    delivery: DeliverySpecSchema.optional(),
    sink: DestinationSchema,
    ceOverrides: z.strictObject({ extensions: z.record(z.string(), z.string()).optional() }).optional(),
  }),
});
