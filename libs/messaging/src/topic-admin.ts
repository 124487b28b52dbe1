import { TOPICS } from '@gw/contracts';
import { type Admin, ConfigResourceTypes, type Kafka } from 'kafkajs';
import { type TopicReplication, type TopicState, topicProblems } from './topic-requirements';

const MIN_INSYNC_REPLICAS = 'min.insync.replicas';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
}

/** The topics of contract section 2; the submission topic is spread over several partitions. */
export function gatewayTopics(submissionPartitions: number): TopicSpec[] {
  return [
    { topic: TOPICS.submitted, numPartitions: submissionPartitions },
    { topic: TOPICS.outcomes, numPartitions: submissionPartitions },
    { topic: TOPICS.submittedDlq, numPartitions: 1 },
    { topic: TOPICS.partnerReadings, numPartitions: 3 },
    { topic: TOPICS.partnerReadingsDlq, numPartitions: 1 },
    { topic: TOPICS.partnerOutbound, numPartitions: 3 },
    { topic: TOPICS.verificationReminders, numPartitions: 3 },
    { topic: TOPICS.estimates, numPartitions: 3 },
  ];
}

/**
 * A new topic's partitions (or any, just after the broker started) can have a leader in the
 * metadata before that leader serves them ("not the leader for that topic-partition"); waits,
 * up to `timeoutMs`, until every topic answers an offsets request. Every error is retried: on a
 * cluster still spreading a new topic's metadata kafkajs can also fail with a TypeError
 * ("Cannot destructure property 'partitions'"), which it does not mark retriable.
 */
async function untilServing(admin: Admin, topics: string[], timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic)));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The gateway's topics as the cluster describes them; those missing are absent from the map. */
export async function describeTopics(
  admin: Admin,
  topics: string[],
): Promise<Map<string, TopicState>> {
  const existing = new Set(await admin.listTopics());
  const present = topics.filter((t) => existing.has(t));
  const states = new Map<string, TopicState>();
  if (present.length === 0) return states;
  const [metadata, configs] = await Promise.all([
    admin.fetchTopicMetadata({ topics: present }),
    admin.describeConfigs({
      includeSynonyms: false,
      resources: present.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: [MIN_INSYNC_REPLICAS],
      })),
    }),
  ]);
  const minIsr = new Map(
    configs.resources.map((r) => [
      r.resourceName,
      Number(r.configEntries.find((e) => e.configName === MIN_INSYNC_REPLICAS)?.configValue ?? 1),
    ]),
  );
  for (const { name, partitions } of metadata.topics)
    states.set(name, {
      topic: name,
      partitions: partitions.length,
      replicationFactor: Math.min(...partitions.map((p) => p.replicas.length)),
      minInSyncReplicas: minIsr.get(name) ?? 1,
    });
  return states;
}

/** What `ensureTopics` did and found: topics created, topics as configured, what is wrong. */
export interface TopicReport {
  created: string[];
  verified: string[];
  problems: string[];
}

/**
 * Creates whatever topics are missing with the configured replication, waits until all serve, then
 * checks every one against the configuration. Existing topics are never changed: raising their
 * replication is a reassignment for an operator to plan, so they are reported instead.
 */
export async function ensureTopics(
  kafka: Kafka,
  specs: TopicSpec[],
  replication: TopicReplication,
): Promise<TopicReport> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          ...s,
          replicationFactor: replication.replicationFactor,
          configEntries: [
            { name: MIN_INSYNC_REPLICAS, value: String(replication.minInSyncReplicas) },
          ],
        })),
      });
    }
    // Also existing ones: a broker that has just started may not serve them yet.
    await untilServing(
      admin,
      specs.map((s) => s.topic),
    );
    const states = await describeTopics(
      admin,
      specs.map((s) => s.topic),
    );
    const problems = specs.map((s) => topicProblems(s, states.get(s.topic), replication));
    return {
      created: missing.map((s) => s.topic),
      verified: specs.filter((_, i) => problems[i].length === 0).map((s) => s.topic),
      problems: problems.flat(),
    };
  } finally {
    await admin.disconnect();
  }
}
