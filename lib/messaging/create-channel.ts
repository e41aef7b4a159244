import { z } from 'zod';
import type { Env, LogLevel } from '../ops/config.js';
import { ConfigError } from '../ops/config-error.js';
import type { Logger } from '../ops/logger.js';
import type { Channel } from './channel.js';
import { createKafkaChannel } from './kafka-channel.js';
import { createMemoryChannel } from './memory-channel.js';

/**
 * The local runtime's channel: in memory unless `KAFKA_BROKERS`
 * (`host:port,host:port`) names a Kafka cluster. The environment is a
 * parameter; the caller passes what `lib/ops/config` read.
 */

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

export const ChannelEnvSchema = z.object({
  KAFKA_BROKERS: z
    .string()
    .optional()
    .transform((raw) => (raw ?? '').split(',').map((part) => part.trim()).filter((part) => part.length > 0))
    .refine((brokers) => brokers.every((broker) => HOST_PORT.test(broker) && Number(broker.split(':')[1]) <= 65_535), {
      error: 'expected comma-separated host:port pairs',
    }),
});

export interface ChannelDeps {
  readonly logger: Logger;
  /** The lowest kafkajs log level passed on. Default INFO. */
  readonly logLevel?: LogLevel;
  readonly clientId?: string;
}

/** Which channel `env` asks for: the Kafka brokers, or none for memory. Throws a ConfigError on a bad value. */
export function channelBrokers(env: Env): readonly string[] {
  const parsed = ChannelEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`));
  return parsed.data.KAFKA_BROKERS;
}

export function createChannel(env: Env, deps: ChannelDeps): Channel {
  const brokers = channelBrokers(env);
  if (brokers.length === 0) {
    deps.logger.info('channel: in memory');
    return createMemoryChannel({ logger: deps.logger });
  }
  deps.logger.info('channel: kafka', { brokers });
  return createKafkaChannel({
    brokers,
    logger: deps.logger,
    ...(deps.logLevel === undefined ? {} : { logLevel: deps.logLevel }),
    ...(deps.clientId === undefined ? {} : { clientId: deps.clientId }),
  });
}
