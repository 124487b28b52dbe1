import { TOPICS } from '@gw/contracts';
import type { Kafka } from 'kafkajs';

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

/** Creates whatever topics are missing; existing ones are left as they are. */
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
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}
