import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createKafka, ensureTopics, gatewayTopics } from '../../libs/messaging/src';
import { migrate } from '../../libs/persistence/src/data-source';
import { ensureDatabase, ensureKafka } from '../../scripts/local-env';
import { TEST_ENV_FILE, TEST_PARTITIONS } from './paths';

/** Provisions one real Kafka broker and one fresh PostgreSQL database for the whole e2e run. */
export default async function globalSetup(): Promise<void> {
  const kafka = await ensureKafka();
  const database = await ensureDatabase('meter_gateway_test', { fresh: true });
  await migrate(database.value);
  await ensureTopics(createKafka(kafka.value.split(','), 'e2e-setup'), gatewayTopics(TEST_PARTITIONS));
  mkdirSync(dirname(TEST_ENV_FILE), { recursive: true });
  writeFileSync(
    TEST_ENV_FILE,
    JSON.stringify({ KAFKA_BROKERS: kafka.value, DATABASE_URL: database.value, startedKafka: kafka.started, startedPostgres: database.started }),
  );
}
