import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../ops/logger.js';
import type { Channel, ConsumedRecord, Subscription } from './channel.js';
import { createKafkaChannel } from './kafka-channel.js';
import type { MockKafkaCluster } from './test-helpers/mock-kafka-cluster.js';
import { startMockKafkaCluster } from './test-helpers/mock-kafka-cluster.js';
import { waitFor } from './test-helpers/wait-for.js';

// The Kafka channel over the real protocol, against librdkafka's mock cluster (kcat).

let cluster: MockKafkaCluster;
beforeAll(async () => {
  cluster = await startMockKafkaCluster();
});
afterAll(async () => {
  await cluster.stop();
});

const line = (user: string, i: number) => ({ key: user, value: `2026-01-01T00:00:${String(i).padStart(2, '0')},${user},GET /data/m/m${i}/1.mpg` });

describe('createKafkaChannel', () => {
  let channel: Channel;
  const subscriptions: Subscription[] = [];
  const others: Channel[] = [];
  let topic: string;
  let group: string;

  const open = () => {
    channel = createKafkaChannel({ brokers: [cluster.bootstrap], logger: silentLogger, logLevel: 'OFF', sessionTimeoutMs: 6000, maxWaitTimeMs: 200 });
    topic = `t-${randomUUID()}`;
    group = `g-${randomUUID()}`;
    return channel;
  };
  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.close()));
    await Promise.all([channel, ...others.splice(0)].map((c) => c.close()));
  });

  it('delivers produced lines in order per partition, with their keys', async () => {
    open();
    const users = ['11', '22', '33'];
    const produced = users.flatMap((user) => Array.from({ length: 5 }, (_, i) => line(user, i)));
    const result = await channel.produce(topic, produced);
    expect(result.lastOffset).toBeGreaterThanOrEqual(4);
    const seen: ConsumedRecord[] = [];
    subscriptions.push(await channel.subscribe({ topic, group, fromBeginning: true, batchSize: 4, handle: async (batch) => void seen.push(...batch) }));
    await waitFor('every record', () => seen.length === produced.length);
    for (const user of users) {
      const mine = seen.filter((r) => r.key === user);
      expect(new Set(mine.map((r) => r.partition)).size).toBe(1);
      expect(mine.map((r) => r.value)).toEqual(produced.filter((p) => p.key === user).map((p) => p.value));
      expect(mine.map((r) => r.offset)).toEqual([...mine.map((r) => r.offset)].sort((a, b) => a - b));
    }
    expect(seen.find((r) => r.key === users[2] && r.offset === result.lastOffset)?.partition).toBe(result.partition);
    await waitFor('the commits', () => channel.stats(topic, group).lag === 0);
    expect(channel.stats(topic, group)).toMatchObject({ produced: 15, committed: 15 });
  });

  it('commits only after handle resolves: a failed handle gets the same records again, nothing lost', async () => {
    open();
    await channel.produce(topic, Array.from({ length: 6 }, (_, i) => line('5', i)));
    const calls: number[][] = [];
    subscriptions.push(
      await channel.subscribe({
        topic, group, fromBeginning: true, batchSize: 3, retryDelayMs: () => 10,
        handle: async (batch) => {
          calls.push(batch.map((r) => r.offset));
          if (calls.length === 1) {
            expect(channel.stats(topic, group).committed).toBe(0);
            throw new Error('subscriber down');
          }
        },
      }),
    );
    await waitFor('both runs committed', () => channel.stats(topic, group).committed === 6);
    expect(calls).toEqual([[0, 1, 2], [0, 1, 2], [3, 4, 5]]);
  });

  it('lets a second consumer in the same group resume after the committed offset', async () => {
    open();
    await channel.produce(topic, Array.from({ length: 4 }, (_, i) => line('9', i)));
    const first: number[] = [];
    const one = await channel.subscribe({ topic, group, fromBeginning: true, batchSize: 10, handle: async (b) => void first.push(...b.map((r) => r.offset)) });
    await waitFor('the first four committed', () => channel.stats(topic, group).committed === 4);
    await one.close();
    await channel.produce(topic, Array.from({ length: 3 }, (_, i) => line('9', 10 + i)));

    // A fresh client, as another process would be.
    const other = createKafkaChannel({ brokers: [cluster.bootstrap], logger: silentLogger, logLevel: 'OFF', sessionTimeoutMs: 6000, maxWaitTimeMs: 200 });
    others.push(other);
    const second: number[] = [];
    subscriptions.push(await other.subscribe({ topic, group, fromBeginning: true, batchSize: 10, handle: async (b) => void second.push(...b.map((r) => r.offset)) }));
    await waitFor('the next three', () => second.length === 3);
    expect(first).toEqual([0, 1, 2, 3]);
    expect(second).toEqual([4, 5, 6]);
  });
});
