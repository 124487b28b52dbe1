import { Logger } from '@nestjs/common';
import { type KafkaSaslMechanism, type KafkaSecurity, NO_KAFKA_SECURITY } from '@gw/platform';
import {
  type ISocketFactory,
  Kafka,
  type KafkaConfig,
  logLevel,
  type logCreator,
  type SASLOptions,
} from 'kafkajs';
import { connect as connectTcp, isIP } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { registerCompressionCodecs } from './compression-codecs';

/** How long after a client is created an election in progress counts as start-up. */
const STARTUP_GRACE_MS = 60_000;

/**
 * kafkajs's texts for a partition or group coordinator still being elected, which it retries (a
 * consumer by restarting itself, a notice whose cause is logged on its own line).
 */
const ELECTION_IN_PROGRESS = [
  'There is no leader for this topic-partition',
  'This server is not the leader for that topic-partition',
  'This server does not host this topic-partition',
  'The coordinator is loading',
  'The group coordinator is not available',
  'This is not the correct coordinator for this group',
  'Restarting the consumer in',
];

/**
 * Whether a kafkajs log entry reports an election in progress: normal while a freshly started
 * broker, or a freshly created topic, settles, and retried by kafkajs itself.
 */
export function isElectionInProgress(entry: { message: string; error?: unknown }): boolean {
  const text = `${entry.message} ${typeof entry.error === 'string' ? entry.error : ''}`;
  return ELECTION_IN_PROGRESS.some((phrase) => text.includes(phrase));
}

/**
 * Whether an entry is an election in progress within STARTUP_GRACE_MS of `startedAt`: nobody has
 * to act on one at start-up; later, one is worth the operator's attention.
 */
export function isStartupElection(
  startedAt: number,
  entry: { message: string; error?: unknown },
  now = Date.now(),
): boolean {
  return now - startedAt < STARTUP_GRACE_MS && isElectionInProgress(entry);
}

const nestLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  const createdAt = Date.now();
  return ({ level, log }) => {
    const { message, ...extra } = log;
    const line = { msg: message, ...extra };
    if (isStartupElection(createdAt, log)) logger.debug(line);
    else if (level <= logLevel.ERROR) logger.error(line);
    else if (level === logLevel.WARN) logger.warn(line);
  };
};

/** The app's kafkajs client, for injection. */
export const KAFKA = Symbol('KAFKA');

function scram(mechanism: KafkaSaslMechanism, username: string, password: string): SASLOptions {
  return mechanism === 'SCRAM-SHA-512'
    ? { mechanism: 'scram-sha-512', username, password }
    : { mechanism: 'scram-sha-256', username, password };
}

/** kafkajs' TLS and SASL options for `security`; none for a plaintext, unauthenticated broker. */
export function kafkaSecurityOptions({
  tls,
  sasl,
}: KafkaSecurity): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  return {
    ...(tls ? { ssl: { ...tls, rejectUnauthorized: true } } : {}),
    ...(sasl ? { sasl: scram(sasl.mechanism, sasl.username, sasl.password) } : {}),
  };
}

/**
 * kafkajs' own sockets (keepalive after a minute, TLS with the broker's name), destroyed once
 * kafkajs has ended them. kafkajs closes a connection with `end`, which keeps the socket until the
 * broker closes its side too: a frozen broker never does, so every connection given up on during a
 * freeze (a timed-out publisher's, a readiness check's) would stay open until the broker woke.
 */
const closingSocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? connectTls({ host, port, ...(isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
    : connectTcp({ host, port }, onConnect);
  socket.setKeepAlive(true, 60_000);
  socket.once('finish', () => socket.destroy());
  return socket;
};

// Once, for every client built here: a batch in any of Kafka's codecs is read, not fatal.
registerCompressionCodecs();

/**
 * A kafkajs client that logs through the app's structured logger. Apps and `ctl` pass the security
 * their settings describe (`kafkaSecurity(env)`); tests and benchmarks on the local broker need none.
 */
export function createKafka(
  brokers: string[],
  clientId: string,
  security: KafkaSecurity = NO_KAFKA_SECURITY,
): Kafka {
  return new Kafka({
    clientId,
    brokers,
    ...kafkaSecurityOptions(security),
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 200, retries: 5 },
    socketFactory: closingSocketFactory,
  });
}
