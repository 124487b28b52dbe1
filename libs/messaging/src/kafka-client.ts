import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type logCreator } from 'kafkajs';

/** How long after a client is created a partition without a leader counts as start-up. */
const STARTUP_GRACE_MS = 60_000;

/** kafkajs's texts for stale partition metadata, the errors it refreshes metadata and retries on. */
const LEADER_ELECTION = [
  'There is no leader for this topic-partition',
  'This server is not the leader for that topic-partition',
  'This server does not host this topic-partition',
];

/**
 * Whether a kafkajs log entry reports a partition whose leader is being elected: normal while a
 * freshly started broker, or a freshly created topic, settles, and retried by kafkajs itself.
 */
export function isLeaderElection(entry: { message: string; error?: unknown }): boolean {
  const text = `${entry.message} ${typeof entry.error === 'string' ? entry.error : ''}`;
  return LEADER_ELECTION.some((phrase) => text.includes(phrase));
}

const nestLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  const createdAt = Date.now();
  return ({ level, log }) => {
    const { message, ...extra } = log;
    // KafkaPublisher bounds retries on purpose and replaces a producer after a failed send.
    if (message.startsWith('Limiting retries for the idempotent producer')) return;
    const line = { msg: message, ...extra };
    // Nobody has to act on an election at start-up; later, one is worth the operator's attention.
    if (Date.now() - createdAt < STARTUP_GRACE_MS && isLeaderElection(log)) logger.debug(line);
    else if (level <= logLevel.ERROR) logger.error(line);
    else if (level === logLevel.WARN) logger.warn(line);
  };
};

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
