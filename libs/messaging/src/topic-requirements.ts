/** How many copies of each partition the cluster keeps, and how many must hold a write. */
export interface TopicReplication {
  replicationFactor: number;
  minInSyncReplicas: number;
}

/** The replication an app's configuration asks of the gateway's topics. */
export function topicReplication(env: {
  KAFKA_REPLICATION_FACTOR: number;
  KAFKA_MIN_INSYNC_REPLICAS: number;
}): TopicReplication {
  return {
    replicationFactor: env.KAFKA_REPLICATION_FACTOR,
    minInSyncReplicas: env.KAFKA_MIN_INSYNC_REPLICAS,
  };
}

/** A topic as the cluster describes it. */
export interface TopicState {
  topic: string;
  partitions: number;
  /** The fewest replicas any of its partitions has. */
  replicationFactor: number;
  minInSyncReplicas: number;
}

/** A topic the gateway needs; with `numPartitions`, fewer partitions are a problem too. */
export interface TopicRequirement {
  topic: string;
  numPartitions?: number;
}

/**
 * What is wrong with a topic as it is, against what is configured; empty when nothing. More
 * replicas or a higher `min.insync.replicas` than configured are fine: safer, not weaker.
 */
export function topicProblems(
  required: TopicRequirement,
  state: TopicState | undefined,
  replication: TopicReplication,
): string[] {
  const { topic, numPartitions } = required;
  if (!state) return [`${topic}: missing`];
  const problems: string[] = [];
  if (state.replicationFactor < replication.replicationFactor)
    problems.push(
      `${topic}: replication factor ${state.replicationFactor}, configured ${replication.replicationFactor}`,
    );
  if (state.minInSyncReplicas < replication.minInSyncReplicas)
    problems.push(
      `${topic}: min.insync.replicas ${state.minInSyncReplicas}, configured ${replication.minInSyncReplicas}`,
    );
  if (numPartitions !== undefined && state.partitions < numPartitions)
    problems.push(`${topic}: ${state.partitions} partitions, configured ${numPartitions}`);
  return problems;
}
