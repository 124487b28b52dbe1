import { Inject, Injectable } from '@nestjs/common';
import { TOPICS } from '@gw/contracts';
import type { HealthCheckResult, HealthIndicator } from '@gw/platform';
import type { Kafka } from 'kafkajs';
import { KAFKA } from './kafka-client';
import { describeTopics } from './topic-admin';
import { type TopicReplication, topicProblems } from './topic-requirements';

export const TOPIC_REPLICATION = Symbol('TOPIC_REPLICATION');

/** Topic settings change rarely; readiness probes come every few seconds. */
const RECHECK_MS = 30000;

/**
 * Not ready while a gateway topic is missing or keeps fewer copies than configured: an edge that
 * answered "accepted" on one replica loses the reading with that broker's disk. The cluster is
 * asked at most every 30 s; probes in between get the last answer.
 */
@Injectable()
export class TopicReplicationIndicator implements HealthIndicator {
  readonly name = 'topics';
  private last?: { at: number; result: HealthCheckResult };
  private pending?: Promise<HealthCheckResult>;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPIC_REPLICATION) private readonly replication: TopicReplication,
  ) {}

  async check(): Promise<HealthCheckResult> {
    if (this.last && Date.now() - this.last.at < RECHECK_MS) return this.last.result;
    this.pending ??= this.inspect().finally(() => (this.pending = undefined));
    // A refresh under way answers the previous result, so a probe never waits on the cluster.
    return this.last?.result ?? this.pending;
  }

  private async inspect(): Promise<HealthCheckResult> {
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      const topics = Object.values(TOPICS);
      const states = await describeTopics(admin, topics);
      const problems = topics.flatMap((topic) =>
        topicProblems({ topic }, states.get(topic), this.replication),
      );
      const result = problems.length === 0 || { up: false, detail: problems };
      this.last = { at: Date.now(), result };
      return result;
    } catch {
      // Not remembered: the next probe asks again. Kafka's own check reports the outage.
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
