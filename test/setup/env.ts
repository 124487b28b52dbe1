import { readFileSync } from 'node:fs';
import { TEST_ENV_FILE } from './paths';

const env = JSON.parse(readFileSync(TEST_ENV_FILE, 'utf8'));
process.env.KAFKA_BROKERS = env.KAFKA_BROKERS;
process.env.DATABASE_URL = env.DATABASE_URL;
process.env.TZ = 'UTC';
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
