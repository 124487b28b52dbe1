export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface PartitionStall extends TopicPartition {
  lag: number;
  stalledSeconds: number;
}

interface Progress extends TopicPartition {
  committed: string | null;
  lag: number;
  /** When the committed offset last moved, or the partition was last seen caught up. */
  movedAt: number;
}

const keyOf = ({ topic, partition }: TopicPartition) => `${topic}|${partition}`;

/**
 * The partitions this member owns: how far behind each is and since when its committed offset
 * has not moved. A partition with lag that has not moved for the stall time is stuck (a batch
 * failing again and again, or a consumer that no longer fetches); an idle, caught-up one is not.
 */
export class PartitionProgress {
  private readonly owned = new Map<string, Progress>();

  /**
   * Takes a new assignment. Partitions kept keep their history; new ones count from `now`, so a
   * partition just taken over gets the full stall time. Returns the partitions given up.
   */
  assign(assignment: Record<string, number[]>, now: number): TopicPartition[] {
    const next = new Map<string, Progress>();
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const key = keyOf({ topic, partition });
        next.set(
          key,
          this.owned.get(key) ?? { topic, partition, committed: null, lag: 0, movedAt: now },
        );
      }
    }
    const revoked = [...this.owned.entries()]
      .filter(([key]) => !next.has(key))
      .map(([, { topic, partition }]) => ({ topic, partition }));
    this.owned.clear();
    for (const [key, progress] of next) this.owned.set(key, progress);
    return revoked;
  }

  /** Forgets every partition (the consumer stopped); returns them. */
  clear(): TopicPartition[] {
    return this.assign({}, 0);
  }

  assigned(): TopicPartition[] {
    return [...this.owned.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  /** A fresh reading of a partition's lag and, when known, the group's committed offset. */
  observe(
    at: TopicPartition,
    { lag, committed }: { lag: number; committed?: string },
    now: number,
  ): void {
    const progress = this.owned.get(keyOf(at));
    if (!progress) return;
    const moved = committed !== undefined && committed !== progress.committed;
    if (moved || lag === 0) progress.movedAt = now;
    if (committed !== undefined) progress.committed = committed;
    progress.lag = lag;
  }

  stalled(now: number, stallMs: number): PartitionStall[] {
    return [...this.owned.values()]
      .filter((p) => p.lag > 0 && now - p.movedAt >= stallMs)
      .map(({ topic, partition, lag, movedAt }) => ({
        topic,
        partition,
        lag,
        stalledSeconds: Math.floor((now - movedAt) / 1000),
      }));
  }
}
