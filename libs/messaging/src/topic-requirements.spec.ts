import { type TopicState, topicProblems } from './topic-requirements';

const topic = 'meter-readings.submitted.v1';
const state = (partitions: number, replicationFactor: number, minInSyncReplicas: number) =>
  ({ topic, partitions, replicationFactor, minInSyncReplicas }) satisfies TopicState;
const configured = { replicationFactor: 3, minInSyncReplicas: 2 };

describe('topicProblems', () => {
  it.each<[string, TopicState | undefined, number | undefined, string[]]>([
    ['as configured', state(12, 3, 2), 12, []],
    ['safer than configured', state(24, 5, 3), 12, []],
    ['partitions not asked for', state(1, 3, 2), undefined, []],
    ['missing', undefined, 12, [`${topic}: missing`]],
    ['one replica', state(12, 1, 2), 12, [`${topic}: replication factor 1, configured 3`]],
    ['min in sync 1', state(12, 3, 1), 12, [`${topic}: min.insync.replicas 1, configured 2`]],
    ['fewer partitions', state(6, 3, 2), 12, [`${topic}: 6 partitions, configured 12`]],
    [
      'everything short',
      state(6, 1, 1),
      12,
      [
        `${topic}: replication factor 1, configured 3`,
        `${topic}: min.insync.replicas 1, configured 2`,
        `${topic}: 6 partitions, configured 12`,
      ],
    ],
  ])('%s', (_, actual, numPartitions, expected) => {
    expect(topicProblems({ topic, numPartitions }, actual, configured)).toEqual(expected);
  });

  it('accepts a single broker configured as one', () => {
    expect(
      topicProblems({ topic }, state(6, 1, 1), { replicationFactor: 1, minInSyncReplicas: 1 }),
    ).toEqual([]);
  });
});
