import { BaseEnv, configurePasswordHashing, loadConfig, passwordHashingOf } from '@gw/platform';

if (!process.env.E2E_RUN_ID || !process.env.DATABASE_URL || !process.env.KAFKA_BROKERS) {
  throw new Error(
    'e2e tests run through `npm test`, whose global setup provisions Kafka and PostgreSQL',
  );
}

// Test helpers hash passwords in this process too (operators, terminals), at the run's cost.
configurePasswordHashing(passwordHashingOf(loadConfig(BaseEnv)));
