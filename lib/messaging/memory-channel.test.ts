import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../ops/logger.js';
import type { Channel, ConsumedRecord, Subscription } from './channel.js';
import { ChannelError, chunksOf } from './channel.js';
import { createMemoryChannel, partitionOfKey } from './memory-channel.js';
import { waitFor } from './test-helpers/wait-for.js';

const lines = (n: number, user = '7') => Array.from({ length: n }, (_, i) => ({ key: user, value: `2026-01-01T00:00:0${i % 10},${user},GET /rate/m${i}=4` }));

describe('createMemoryChannel', () => {
  let channel: Channel;
  const subscriptions: Subscription[] = [];
  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.close()));
    await channel.close();
  });

  it('keeps one key on one partition, in order, and reports where the last record landed', async () => {
    channel = createMemoryChannel({ logger: silentLogger, partitions: 4 });
    const result = await channel.produce('movielog', lines(5, '42'));
    expect(result).toEqual({ partition: partitionOfKey('42', 4), lastOffset: 4 });
    const seen: ConsumedRecord[] = [];
    subscriptions.push(
      await channel.subscribe({ topic: 'movielog', group: 'g', fromBeginning: true, batchSize: 2, handle: async (batch) => void seen.push(...batch) }),
    );
    await waitFor('five records', () => seen.length === 5);
    expect(seen.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4]);
    expect(seen.every((r) => r.partition === result.partition && r.key === '42' && r.topic === 'movielog')).toBe(true);
    await waitFor('the commit', () => channel.stats('movielog', 'g').lag === 0);
    expect(channel.stats('movielog', 'g')).toEqual({ produced: 5, committed: 5, lag: 0 });
  });

  it('hands a batch again after a rejection and commits only once the handler resolved', async () => {
    channel = createMemoryChannel({ logger: silentLogger, partitions: 1 });
    await channel.produce('t', lines(3));
    const calls: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    subscriptions.push(
      await channel.subscribe({
        topic: 't', group: 'g', fromBeginning: true, batchSize: 10, retryDelayMs: () => 1,
        handle: async (batch) => {
          calls.push(batch.map((r) => r.offset));
          if (calls.length === 1) throw new Error('sink down');
          await gate;
        },
      }),
    );
    await waitFor('the second call', () => calls.length === 2);
    expect(channel.stats('t', 'g')).toEqual({ produced: 3, committed: 0, lag: 3 });
    release();
    await waitFor('the commit', () => channel.stats('t', 'g').committed === 3);
    expect(calls).toEqual([[0, 1, 2], [0, 1, 2]]);
  });

  it('lets a later subscription of the same group resume after the committed offset', async () => {
    channel = createMemoryChannel({ logger: silentLogger, partitions: 1 });
    await channel.produce('t', lines(2));
    const first: number[] = [];
    const one = await channel.subscribe({ topic: 't', group: 'g', fromBeginning: true, batchSize: 1, handle: async (b) => void first.push(b[0].offset) });
    await waitFor('two records', () => channel.stats('t', 'g').committed === 2);
    await one.close();
    await channel.produce('t', lines(3));
    const second: number[] = [];
    subscriptions.push(await channel.subscribe({ topic: 't', group: 'g', fromBeginning: true, batchSize: 5, handle: async (b) => void second.push(...b.map((r) => r.offset)) }));
    await waitFor('three more', () => second.length === 3);
    expect(first).toEqual([0, 1]);
    expect(second).toEqual([2, 3, 4]);
  });

  it('splits partitions between members of a group and gives each group every record', async () => {
    channel = createMemoryChannel({ logger: silentLogger, partitions: 4 });
    const a: ConsumedRecord[] = [];
    const b: ConsumedRecord[] = [];
    const other: ConsumedRecord[] = [];
    for (const [group, into] of [['g', a], ['g', b], ['h', other]] as const) {
      subscriptions.push(await channel.subscribe({ topic: 't', group, fromBeginning: true, batchSize: 4, handle: async (batch) => void into.push(...batch) }));
    }
    for (const user of ['1', '2', '3', '4', '5', '6', '7', '8']) await channel.produce('t', lines(3, user));
    await waitFor('every record in both groups', () => a.length + b.length === 24 && other.length === 24);
    const partitionsOf = (records: ConsumedRecord[]) => new Set(records.map((r) => r.partition));
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    for (const partition of partitionsOf(a)) expect(partitionsOf(b).has(partition)).toBe(false);
  });

  it('starts a new group at the end of the log unless fromBeginning', async () => {
    channel = createMemoryChannel({ logger: silentLogger, partitions: 1 });
    await channel.produce('t', lines(2));
    const seen: number[] = [];
    subscriptions.push(await channel.subscribe({ topic: 't', group: 'late', fromBeginning: false, batchSize: 5, handle: async (b) => void seen.push(...b.map((r) => r.offset)) }));
    await channel.produce('t', lines(1));
    await waitFor('the new record', () => seen.length === 1);
    expect(seen).toEqual([2]);
  });

  it('drops consumed records and refuses, retriably, a topic over its bound', async () => {
    channel = createMemoryChannel({ logger: silentLogger, partitions: 1, maxRetained: 4 });
    await channel.produce('t', lines(4));
    const refused = await channel.produce('t', lines(1)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ChannelError);
    expect(refused).toMatchObject({ retriable: true, topic: 't' });
    subscriptions.push(await channel.subscribe({ topic: 't', group: 'g', fromBeginning: true, batchSize: 10, handle: async () => undefined }));
    await waitFor('the commit', () => channel.stats('t', 'g').lag === 0);
    await expect(channel.produce('t', lines(4))).resolves.toEqual({ partition: 0, lastOffset: 7 });
  });

  it('refuses a topic name Kafka would refuse', async () => {
    channel = createMemoryChannel({ logger: silentLogger });
    await expect(channel.produce('no spaces', lines(1))).rejects.toMatchObject({ retriable: false });
    await expect(channel.subscribe({ topic: '..', group: 'g', fromBeginning: true, batchSize: 1, handle: async () => undefined })).rejects.toBeInstanceOf(ChannelError);
  });
});

describe('chunksOf', () => {
  it('cuts runs of at most n, in order', () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([], 3)).toEqual([]);
  });
});
