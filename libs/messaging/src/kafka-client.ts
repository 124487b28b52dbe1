import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type logCreator } from 'kafkajs';

const nestLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ level, log }) => {
    const { message, ...extra } = log;
    // KafkaPublisher bounds retries on purpose and replaces a producer after a failed send.
    if (message.startsWith('Limiting retries for the idempotent producer')) return;
    const line = { msg: message, ...extra };
    if (level <= logLevel.ERROR) logger.error(line);
    else if (level === logLevel.WARN) logger.warn(line);
  };
};

/** The app's kafkajs client, for injection. */
export const KAFKA = Symbol('KAFKA');

/** A kafkajs client that logs through the app's structured logger. */
export function createKafka(brokers: string[], clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 200, retries: 5 },
  });
}
