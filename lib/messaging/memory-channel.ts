import type { Logger } from '../ops/logger.js';
import type { Channel, ChannelRecord, ChannelStats, ConsumedRecord, ProduceResult, SubscribeOptions, Subscription } from './channel.js';
import { ChannelError, defaultRetryDelayMs, isTopicName } from './channel.js';
import { Latch, Signal, sleepUnless } from './signals.js';

/**
 * The channel in memory: each topic has `partitions` logs; each consumer group
 * keeps a committed offset per partition and splits the partitions among its
 * live subscriptions (round robin, one `handle` per partition at a time).
 * Memory stays bounded: records below every group's committed offset are
 * dropped, and a topic refuses (retriable) more than `maxRetained` records.
 * A group that subscribes after records were dropped starts at the log start.
 */

export interface MemoryChannelOptions {
  readonly logger: Logger;
  /** Partitions per topic. Default 4, as the Kafka mock cluster auto-creates. */
  readonly partitions?: number;
  /** Records a topic holds at most before `produce` is refused. Default 1,000,000. */
  readonly maxRetained?: number;
  readonly now?: () => number;
}

interface StoredRecord {
  readonly key: string | null;
  readonly value: string;
  readonly timestamp: number;
}

/** One partition's log: `records[head + i]` has offset `base + i`. */
interface PartitionLog {
  base: number;
  head: number;
  records: StoredRecord[];
}

interface Member {
  readonly stopped: Latch;
}

interface Group {
  readonly committed: number[];
  readonly busy: boolean[];
  readonly members: Member[];
}

interface Topic {
  readonly logs: PartitionLog[];
  readonly groups: Map<string, Group>;
  readonly changed: Signal;
  nextPartition: number;
}

const end = (log: PartitionLog) => log.base + log.records.length - log.head;

/** FNV-1a of the key: the same key always lands on the same partition. */
export function partitionOfKey(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

export function createMemoryChannel(options: MemoryChannelOptions): Channel {
  const partitions = Math.max(1, options.partitions ?? 4);
  const maxRetained = options.maxRetained ?? 1_000_000;
  const now = options.now ?? Date.now;
  const topics = new Map<string, Topic>();
  const subscriptions = new Set<Subscription>();

  function topicOf(name: string): Topic {
    if (!isTopicName(name)) throw new ChannelError(name, 'not a valid topic name');
    let topic = topics.get(name);
    if (topic === undefined) {
      const logs = Array.from({ length: partitions }, () => ({ base: 0, head: 0, records: [] }));
      topic = { logs, groups: new Map(), changed: new Signal(), nextPartition: 0 };
      topics.set(name, topic);
    }
    return topic;
  }

  /** Drop what every group has committed; compact once the dropped prefix is large. */
  function trim(topic: Topic, partition: number): void {
    const log = topic.logs[partition];
    let floor = end(log);
    for (const group of topic.groups.values()) floor = Math.min(floor, group.committed[partition]);
    if (floor <= log.base) return;
    log.head += floor - log.base;
    log.base = floor;
    if (log.head > 4096 && log.head * 2 > log.records.length) {
      log.records = log.records.slice(log.head);
      log.head = 0;
    }
  }

  async function consume(name: string, topic: Topic, group: Group, member: Member, partition: number, subscription: SubscribeOptions) {
    const log = topic.logs[partition];
    const retryDelayMs = subscription.retryDelayMs ?? defaultRetryDelayMs;
    while (!member.stopped.isSet) {
      const owner = group.members[partition % group.members.length];
      const from = group.committed[partition];
      if (owner !== member || group.busy[partition] || from >= end(log)) {
        await Promise.race([topic.changed.wait(), member.stopped.promise]);
        continue;
      }
      const count = Math.min(Math.max(1, subscription.batchSize), end(log) - from);
      const batch: ConsumedRecord[] = [];
      for (let i = 0; i < count; i++) {
        const record = log.records[log.head + (from - log.base) + i];
        batch.push({ topic: name, partition, offset: from + i, key: record.key, value: record.value, timestamp: record.timestamp });
      }
      group.busy[partition] = true;
      try {
        for (let attempt = 1; ; attempt++) {
          try {
            await subscription.handle(batch);
            group.committed[partition] = from + count;
            trim(topic, partition);
            break;
          } catch (error) {
            if (member.stopped.isSet) return;
            const delayMs = retryDelayMs(attempt);
            options.logger.warning('channel handler failed; the same records will be handled again', {
              topic: name, group: subscription.group, partition, offset: from, records: count, attempt, delayMs, error,
            });
            if (!(await sleepUnless(delayMs, member.stopped))) return;
          }
        }
      } finally {
        group.busy[partition] = false;
        topic.changed.notify();
      }
    }
  }

  return {
    produce(name, records: readonly ChannelRecord[]): Promise<ProduceResult> {
      try {
        const topic = topicOf(name);
        const retained = topic.logs.reduce((sum, log) => sum + end(log) - log.base, 0);
        if (retained + records.length > maxRetained) {
          return Promise.reject(new ChannelError(name, `holds ${retained} unconsumed records (limit ${maxRetained})`, { retriable: true }));
        }
        const sticky = topic.nextPartition;
        topic.nextPartition = (sticky + 1) % partitions;
        let last: ProduceResult = { partition: sticky, lastOffset: end(topic.logs[sticky]) - 1 };
        const timestamp = now();
        for (const { key, value } of records) {
          const partition = key === null ? sticky : partitionOfKey(key, partitions);
          const log = topic.logs[partition];
          log.records.push({ key, value, timestamp });
          last = { partition, lastOffset: end(log) - 1 };
        }
        if (records.length > 0) topic.changed.notify();
        return Promise.resolve(last);
      } catch (error) {
        return Promise.reject(error);
      }
    },

    subscribe(subscription: SubscribeOptions): Promise<Subscription> {
      let topic: Topic;
      try {
        topic = topicOf(subscription.topic);
      } catch (error) {
        return Promise.reject(error);
      }
      let group = topic.groups.get(subscription.group);
      if (group === undefined) {
        const committed = topic.logs.map((log) => (subscription.fromBeginning ? log.base : end(log)));
        group = { committed, busy: topic.logs.map(() => false), members: [] };
        topic.groups.set(subscription.group, group);
      }
      const joined: Group = group;
      const member: Member = { stopped: new Latch() };
      joined.members.push(member);
      topic.changed.notify();
      const loops = topic.logs.map((_, partition) => consume(subscription.topic, topic, joined, member, partition, subscription));
      const handle: Subscription = {
        async close() {
          member.stopped.set();
          await Promise.all(loops);
          const index = joined.members.indexOf(member);
          if (index >= 0) joined.members.splice(index, 1);
          subscriptions.delete(handle);
          topic.changed.notify();
        },
      };
      subscriptions.add(handle);
      return Promise.resolve(handle);
    },

    stats(name, groupName): ChannelStats {
      const topic = topics.get(name);
      if (topic === undefined) return { produced: 0, committed: 0, lag: 0 };
      const group = topic.groups.get(groupName);
      let produced = 0;
      let committed = 0;
      topic.logs.forEach((log, partition) => {
        produced += end(log);
        committed += group?.committed[partition] ?? 0;
      });
      return { produced, committed, lag: produced - committed };
    },

    async close() {
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
    },
  };
}
