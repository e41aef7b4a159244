// kafkajs is CommonJS: Node's ESM loader gives only its default export.
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { assignBySubscription } from './kafka-assigner.js';

const { AssignerProtocol } = kafkajs;

const member = (memberId: string, topics: string[]) => ({
  memberId,
  memberMetadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
});

describe('assignBySubscription', () => {
  it("gives a topic's partitions only to the members that subscribed to it, round robin", () => {
    const partitions: Record<string, number[]> = { movielog: [0, 1, 2, 3], other: [0, 1] };
    const assignment = assignBySubscription(
      [member('b', ['movielog']), member('a', ['movielog']), member('c', ['other'])],
      ['other', 'movielog'],
      (topic) => partitions[topic] ?? [],
    );
    expect(Object.fromEntries(assignment)).toEqual({
      a: { movielog: [0, 2] },
      b: { movielog: [1, 3] },
      c: { other: [0, 1] },
    });
  });
});
