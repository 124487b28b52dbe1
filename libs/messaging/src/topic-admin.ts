import { TOPICS } from '@gw/contracts';
import { type Admin, ConfigResourceTypes, ConfigSource, type Kafka } from 'kafkajs';
import { type TopicReplication, type TopicState, topicProblems } from './topic-requirements';

const MIN_INSYNC_REPLICAS = 'min.insync.replicas';
const MAX_MESSAGE_BYTES = 'max.message.bytes';

/**
 * What a dead-letter topic takes beyond its source topic: a letter is the record plus
 * `x-original-*` and `x-decided-by` (some 200 bytes), and `x-error` and `x-error-reason`, whose
 * texts are cut at 4 KiB each (`ERROR_TEXT_MAX_BYTES`).
 */
const DEAD_LETTER_HEADROOM_BYTES = 64 * 1024;

/**
 * The largest record batch, as sent (compressed), that the partner's topic takes. The feed cannot
 * read past a batch it cannot decode: one of more than about 124,000 records overflows kafkajs'
 * decoder, and a gzip batch of 1 MiB can unpack to about 1 GiB. At 64 KiB a gzip batch of 60,000
 * empty records is already refused, and what a batch unpacks to stays under about 66 MB. A Java
 * producer's batches are 16 KiB by default (`batch.size`), and it splits a batch the broker refuses
 * as too large.
 */
export const PARTNER_MAX_BATCH_BYTES = 64 * 1024;

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /** For a dead-letter topic, the topic whose records it keeps: it must take the largest of them. */
  deadLettersOf?: string;
  /** The topic's `max.message.bytes` when it is created; the brokers' limit otherwise. */
  maxMessageBytes?: number;
}

/** The topics of contract section 2; the submission topic is spread over several partitions. */
export function gatewayTopics(submissionPartitions: number): TopicSpec[] {
  return [
    { topic: TOPICS.submitted, numPartitions: submissionPartitions },
    { topic: TOPICS.outcomes, numPartitions: submissionPartitions },
    { topic: TOPICS.submittedDlq, numPartitions: 1, deadLettersOf: TOPICS.submitted },
    { topic: TOPICS.partnerReadings, numPartitions: 3, maxMessageBytes: PARTNER_MAX_BATCH_BYTES },
    { topic: TOPICS.partnerReadingsDlq, numPartitions: 1, deadLettersOf: TOPICS.partnerReadings },
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

/**
 * Raises each dead-letter topic's `max.message.bytes` to its source topic's (the broker's
 * `message.max.bytes` unless set on the topic) plus the headroom, where it is lower: a letter of
 * any record the source took then fits. Never lowers it, so running again changes nothing.
 */
async function fitDeadLetterTopics(admin: Admin, specs: TopicSpec[]): Promise<void> {
  const pairs = specs.flatMap(({ topic, deadLettersOf }) =>
    deadLettersOf ? [{ topic, source: deadLettersOf }] : [],
  );
  if (pairs.length === 0) return;
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: pairs
      .flatMap(({ topic, source }) => [topic, source])
      .map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
  });
  const entries = new Map(resources.map((r) => [r.resourceName, r.configEntries]));
  const limit = (topic: string) =>
    Number(entries.get(topic)?.find((e) => e.configName === MAX_MESSAGE_BYTES)?.configValue);
  const raise = pairs
    .map(({ topic, source }) => ({ topic, needed: limit(source) + DEAD_LETTER_HEADROOM_BYTES }))
    .filter(({ topic, needed }) => limit(topic) < needed);
  if (raise.length === 0) return;
  // AlterConfigs replaces every setting made on the topic: those kept are sent again.
  await admin.alterConfigs({
    validateOnly: false,
    resources: raise.map(({ topic, needed }) => ({
      type: ConfigResourceTypes.TOPIC,
      name: topic,
      configEntries: [
        ...(entries.get(topic) ?? [])
          .filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG)
          .filter((e) => e.configName !== MAX_MESSAGE_BYTES)
          .map((e) => ({ name: e.configName, value: e.configValue })),
        { name: MAX_MESSAGE_BYTES, value: String(needed) },
      ],
    })),
  });
}

/** What `ensureTopics` did and found: topics created, topics as configured, what is wrong. */
export interface TopicReport {
  created: string[];
  verified: string[];
  problems: string[];
}

/**
 * Creates whatever topics are missing with the configured replication (and the limit a spec sets),
 * waits until all serve, lets each dead-letter topic take a letter of any record of its source
 * topic, then checks every one against the configuration. Existing topics are otherwise never changed: raising their
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
        topics: missing.map(({ topic, numPartitions, maxMessageBytes }) => ({
          topic,
          numPartitions,
          replicationFactor: replication.replicationFactor,
          configEntries: [
            { name: MIN_INSYNC_REPLICAS, value: String(replication.minInSyncReplicas) },
            ...(maxMessageBytes
              ? [{ name: MAX_MESSAGE_BYTES, value: String(maxMessageBytes) }]
              : []),
          ],
        })),
      });
    }
    // Also existing ones: a broker that has just started may not serve them yet.
    await untilServing(
      admin,
      specs.map((s) => s.topic),
    );
    await fitDeadLetterTopics(admin, specs);
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
