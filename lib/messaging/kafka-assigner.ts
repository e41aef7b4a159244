// kafkajs is CommonJS: Node's ESM loader gives only its default export.
import kafkajs from 'kafkajs';
import type { Assigner, Cluster, GroupMember, PartitionAssigner } from 'kafkajs';

const { AssignerProtocol } = kafkajs;

/**
 * Round-robin partition assignment that honours each member's subscription.
 * kafkajs's own RoundRobinAssigner deals every topic of the group to every
 * member, so two subscriptions of one consumer group to different topics
 * (a KafkaSource with several topics, or two sources sharing a group) would be
 * handed partitions they never asked for. Here a topic's partitions go only to
 * the members that subscribed to it, as Kafka's Java RoundRobinAssignor does.
 */
export const SUBSCRIPTION_ROUND_ROBIN = 'MovierecRoundRobin';

export function assignBySubscription(
  members: readonly GroupMember[],
  topics: readonly string[],
  partitionsOf: (topic: string) => readonly number[],
): Map<string, Record<string, number[]>> {
  const wants = new Map<string, Set<string>>();
  for (const member of members) {
    const metadata = AssignerProtocol.MemberMetadata.decode(member.memberMetadata);
    wants.set(member.memberId, new Set(metadata?.topics ?? []));
  }
  const sorted = [...wants.keys()].sort();
  const assignment = new Map<string, Record<string, number[]>>(sorted.map((id) => [id, {}]));
  for (const topic of [...topics].sort()) {
    const takers = sorted.filter((id) => wants.get(id)?.has(topic));
    if (takers.length === 0) continue;
    partitionsOf(topic).forEach((partition, i) => {
      const owner = assignment.get(takers[i % takers.length]);
      if (owner !== undefined) (owner[topic] ??= []).push(partition);
    });
  }
  return assignment;
}

export const subscriptionRoundRobin: PartitionAssigner = ({ cluster }: { cluster: Cluster }): Assigner => ({
  name: SUBSCRIPTION_ROUND_ROBIN,
  version: 0,
  async assign({ members, topics }) {
    const partitionsOf = (topic: string) => cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId);
    const assignment = assignBySubscription(members, topics, partitionsOf);
    return [...assignment].map(([memberId, topicsOf]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: topicsOf, userData: Buffer.alloc(0) }),
    }));
  },
  protocol({ topics }) {
    return { name: SUBSCRIPTION_ROUND_ROBIN, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
  },
});
