if (!process.env.E2E_RUN_ID || !process.env.DATABASE_URL || !process.env.KAFKA_BROKERS) {
  throw new Error(
    'e2e tests run through `npm test`, whose global setup provisions Kafka and PostgreSQL',
  );
}
