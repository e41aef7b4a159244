import type { ChannelStats } from './channel.js';

/**
 * What a process knows of its topics' positions: the end of each partition's
 * log (the highest of produce acknowledgements and fetched high watermarks)
 * and each group's committed offsets. `stats` sums them per topic and group.
 */
export class OffsetBook {
  private readonly ends = new Map<string, Map<number, number>>();
  private readonly commits = new Map<string, Map<number, number>>();

  private static at(map: Map<string, Map<number, number>>, key: string): Map<number, number> {
    let partitions = map.get(key);
    if (partitions === undefined) {
      partitions = new Map();
      map.set(key, partitions);
    }
    return partitions;
  }

  /** The log of `topic`/`partition` reaches at least `end` (the next offset to be written). */
  sawEnd(topic: string, partition: number, end: number): void {
    const partitions = OffsetBook.at(this.ends, topic);
    partitions.set(partition, Math.max(partitions.get(partition) ?? 0, end));
  }

  /** `group` committed `offset` (the next offset it will read) on `topic`/`partition`. */
  committed(group: string, topic: string, partition: number, offset: number): void {
    const partitions = OffsetBook.at(this.commits, `${group}\u0000${topic}`);
    partitions.set(partition, Math.max(partitions.get(partition) ?? 0, offset));
    this.sawEnd(topic, partition, offset);
  }

  stats(topic: string, group: string): ChannelStats {
    const ends = this.ends.get(topic) ?? new Map<number, number>();
    const commits = this.commits.get(`${group}\u0000${topic}`) ?? new Map<number, number>();
    let produced = 0;
    let committed = 0;
    for (const [partition, end] of ends) {
      const at = commits.get(partition) ?? 0;
      produced += end;
      committed += at;
    }
    return { produced, committed, lag: Math.max(0, produced - committed) };
  }
}
