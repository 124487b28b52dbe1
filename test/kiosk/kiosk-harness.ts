import type { INestApplication } from '@nestjs/common';
import { KIOSK_PATHS, signKioskRequest } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import { loadConfig } from '@gw/platform';
import type { Consumer, Kafka } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { KioskEnv } from '../../apps/kiosk-gateway/src/kiosk.env';
import { bootstrap } from '../../apps/kiosk-gateway/src/main';
import { eventually } from '../support/infra';
import { runCtl } from '../support/ctl';

export interface Kiosk {
  kioskId: string;
  secret: string;
}

let kiosks = 0;

/** A kiosk registered through the real `ctl kiosk add`, with the secret it printed. */
export async function addKiosk(prefix = 'K-E2E'): Promise<Kiosk> {
  kiosks += 1;
  const kioskId = `${prefix}-${process.env.E2E_RUN_ID}-${kiosks}`;
  return runCtl<Kiosk>('kiosk', 'add', kioskId);
}

/** The real kiosk-gateway on a free port, with this run's database and broker unless overridden. */
export function startGateway(env: Record<string, string> = {}): Promise<INestApplication> {
  return bootstrap(
    loadConfig(KioskEnv, {
      ...process.env,
      KIOSK_GATEWAY_PORT: '0',
      LOG_LEVEL: 'error',
      ...env,
    }),
  );
}

export const nonce = () => randomBytes(12).toString('hex');
export const unixNow = () => String(Math.floor(Date.now() / 1000));

export interface SignOptions {
  nonce?: string;
  timestamp?: string;
  /** Sign with another secret than the kiosk's. */
  secret?: string;
  /** Sign these bytes but send `body`. */
  signedBody?: string;
  contentType?: string;
}

/** A kiosk's `POST /v1/kiosk/readings`, signed as contract 7.1 says; an object is sent as JSON. */
export function postBatch(
  app: INestApplication,
  kiosk: Kiosk,
  body: string | Buffer | object,
  options: SignOptions = {},
): request.Test {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const headers = signedHeaders(
    kiosk,
    'POST',
    KIOSK_PATHS.readings,
    options.signedBody ?? raw,
    options,
  );
  return request(app.getHttpServer())
    .post(KIOSK_PATHS.readings)
    .set(headers)
    .set('Content-Type', options.contentType ?? 'application/json')
    .serialize((data) => data) // bytes as they are: superagent would turn a Buffer into JSON
    .send(raw);
}

/** A batch of one reading of `meter`, taken an hour ago. */
export function postOneReading(
  app: INestApplication,
  kiosk: Kiosk,
  batchId: string,
  meter: { accountNumber: string; serial: string },
  value: string,
): request.Test {
  return postBatch(app, kiosk, {
    batchId,
    items: [
      {
        seq: 1,
        accountNumber: meter.accountNumber,
        meterSerial: meter.serial,
        values: [{ zone: 'T1', value }],
        readAt: toMoscowIso(new Date(Date.now() - 3600_000)),
      },
    ],
  });
}

/** A kiosk's signed `GET /v1/kiosk/submissions/{id}`. */
export function getSubmission(
  app: INestApplication,
  kiosk: Kiosk,
  submissionId: string,
  options: SignOptions = {},
): request.Test {
  const path = KIOSK_PATHS.submission(submissionId);
  return request(app.getHttpServer())
    .get(path)
    .set(signedHeaders(kiosk, 'GET', path, '', options));
}

export function signedHeaders(
  kiosk: Kiosk,
  method: string,
  path: string,
  body: string | Buffer,
  options: SignOptions = {},
): Record<string, string> {
  const timestamp = options.timestamp ?? unixNow();
  const used = options.nonce ?? nonce();
  return {
    'X-Kiosk-Id': kiosk.kioskId,
    'X-Timestamp': timestamp,
    'X-Nonce': used,
    'X-Signature': signKioskRequest(options.secret ?? kiosk.secret, {
      timestamp,
      nonce: used,
      method,
      path,
      body,
    }),
  };
}

export interface TappedMessage {
  key: string | null;
  /** Null for what is not JSON (other suites publish poison messages to the same topic). */
  value: Record<string, unknown> | null;
  partition: number;
  offset: string;
}

function parseJson(value: Buffer | null): Record<string, unknown> | null {
  try {
    return JSON.parse(value?.toString() ?? 'null');
  } catch {
    return null;
  }
}

/**
 * Whether `groupId` has committed past every message given: the consumer is done with them.
 * (Outcomes cannot show this: other suites' processors, on their own databases, decide the same
 * shared topic and publish their outcomes next to ours.)
 */
export async function committedPast(
  kafka: Kafka,
  groupId: string,
  topic: string,
  messages: TappedMessage[],
): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const at = new Map(committed.partitions.map((p) => [p.partition, BigInt(p.offset)]));
    return messages.every((m) => (at.get(m.partition) ?? -1n) > BigInt(m.offset));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Records what is published to a topic from now on (not its history), so a test can count
 * exactly what a request caused.
 */
export class LiveTap {
  readonly messages: TappedMessage[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async open(kafka: Kafka, topic: string): Promise<LiveTap> {
    const consumer = kafka.consumer({
      groupId: `kiosk-live-tap-${process.env.E2E_RUN_ID}-${randomBytes(4).toString('hex')}`,
    });
    const tap = new LiveTap(consumer);
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        tap.messages.push({
          key: message.key?.toString() ?? null,
          value: parseJson(message.value),
          partition,
          offset: message.offset,
        });
      },
    });
    await eventually(
      async () => joined,
      (done) => done,
    );
    // The group starts at the partitions' ends on its first fetch; give that fetch a moment.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return tap;
  }

  of(submissionIds: string[]) {
    return this.messages.filter((m) => submissionIds.includes(m.value?.submissionId as string));
  }

  close(): Promise<void> {
    return this.consumer.disconnect();
  }
}
