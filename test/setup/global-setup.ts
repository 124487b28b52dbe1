import './register-paths';
import {
  createKafka,
  ensureTopics,
  gatewayTopics,
  topicReplication,
} from '../../libs/messaging/src';
import { migrate } from '../../libs/persistence/src/data-source';
import { BaseEnv, loadConfig } from '../../libs/platform/src';
import { ensureDatabase, ensureKafka, localTopicEnv } from '../../scripts/local-env';
import { startGroupAtEnd } from '../support/infra';
import { releaseRun } from './global-teardown';
import { TOPICS } from '../../libs/contracts/src';

export const TEST_PARTITIONS = 6;

/**
 * Provisions one real Kafka broker and a fresh PostgreSQL database for this e2e run. Each run
 * gets its own database and consumer-group suffix, so runs on one machine do not disturb each
 * other. Jest workers inherit the variables set here.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  // The apps run on the published development keys unless a test gives its own.
  Object.assign(process.env, localTopicEnv(process.env, TEST_PARTITIONS), {
    GATEWAY_MODE: 'development',
  });
  const kafka = await ensureKafka();
  const database = await ensureDatabase(`meter_gateway_test_${runId}`, { fresh: true });
  try {
    await migrate(database.value);
    const config = loadConfig(BaseEnv, { ...process.env, KAFKA_BROKERS: kafka.value });
    const topics = await ensureTopics(
      createKafka(config.KAFKA_BROKERS, 'e2e-setup'),
      gatewayTopics(config.KAFKA_PARTITIONS),
      topicReplication(config),
    );
    if (topics.problems.length > 0)
      throw new Error(`the gateway's topics differ from the configuration: ${topics.problems}`);
    const client = createKafka(kafka.value.split(','), 'e2e-setup');
    await startGroupAtEnd(client, `reading-processor-e2e-${runId}`, TOPICS.submitted);
  } catch (error) {
    // Jest runs no teardown after a failed setup: leave nothing of this run behind.
    await releaseRun(database.value, { postgres: database.started, kafka: kafka.started });
    throw error;
  }
  Object.assign(process.env, {
    KAFKA_BROKERS: kafka.value,
    DATABASE_URL: database.value,
    E2E_RUN_ID: runId,
    E2E_STARTED_KAFKA: String(kafka.started),
    E2E_STARTED_POSTGRES: String(database.started),
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    // N=2^14 instead of OWASP's 2^17 (the default): a test creates and signs in many operators,
    // terminals and centres, and each hash costs a third of a second of a core at 2^17.
    PASSWORD_SCRYPT_LOG2_N: process.env.PASSWORD_SCRYPT_LOG2_N ?? '14',
    TZ: 'UTC',
  });
}
