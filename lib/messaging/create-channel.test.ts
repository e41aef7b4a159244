import { describe, expect, it } from 'vitest';
import { ConfigError } from '../ops/config-error.js';
import { memoryLogger, silentLogger } from '../ops/logger.js';
import { channelBrokers, createChannel } from './create-channel.js';

describe('createChannel', () => {
  it('is in memory without KAFKA_BROKERS (or with an empty one)', async () => {
    expect(channelBrokers({})).toEqual([]);
    expect(channelBrokers({ KAFKA_BROKERS: ' ' })).toEqual([]);
    const { logger, lines } = memoryLogger();
    const channel = createChannel({}, { logger });
    await expect(channel.produce('t', [{ key: null, value: 'x' }])).resolves.toMatchObject({ lastOffset: 0 });
    await channel.close();
    expect(lines.map((l) => l.message)).toContain('channel: in memory');
  });

  it('reads comma-separated host:port pairs', () => {
    expect(channelBrokers({ KAFKA_BROKERS: 'kafka-0:9092, 127.0.0.1:19092' })).toEqual(['kafka-0:9092', '127.0.0.1:19092']);
  });

  it('names a bad value', async () => {
    for (const bad of ['kafka-0', 'kafka-0:9092,http://x:1', 'a:99999']) {
      expect(() => channelBrokers({ KAFKA_BROKERS: bad })).toThrow(ConfigError);
    }
    expect(() => createChannel({ KAFKA_BROKERS: 'nope' }, { logger: silentLogger })).toThrow(/KAFKA_BROKERS: expected comma-separated host:port pairs/);
  });

  it('is Kafka with brokers, connecting lazily', async () => {
    const channel = createChannel({ KAFKA_BROKERS: '127.0.0.1:1' }, { logger: silentLogger, logLevel: 'OFF' });
    expect(channel.stats('t', 'g')).toEqual({ produced: 0, committed: 0, lag: 0 });
    await channel.close();
  });
});
