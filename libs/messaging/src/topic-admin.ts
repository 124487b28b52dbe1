import { TOPICS } from '@gw/contracts';
import type { Admin, Kafka } from 'kafkajs';

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
  ];
}

/**
 * A new topic's partitions (or any, just after the broker started) can have a leader in the
 * metadata before that leader serves them ("not the leader for that topic-partition"); waits,
 * up to `timeoutMs`, until every topic answers an offsets request.
 */
async function untilServing(admin: Admin, topics: string[], timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic)));
      return;
    } catch (error) {
      const { retriable, cause } = error as {
        retriable?: boolean;
        cause?: { retriable?: boolean };
      };
      if (!(retriable || cause?.retriable) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Creates whatever topics are missing and waits until all serve; existing ones are left as they are. */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({ ...s, replicationFactor: 1 })),
      });
    }
    // Also existing ones: a broker that has just started may not serve them yet.
    await untilServing(
      admin,
      specs.map((s) => s.topic),
    );
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}
