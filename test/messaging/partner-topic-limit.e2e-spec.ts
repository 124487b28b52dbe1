import { TOPICS } from '@gw/contracts';
import { ensureTopics, gatewayTopics, PARTNER_MAX_BATCH_BYTES } from '@gw/messaging';
import {
  type Admin,
  CompressionTypes,
  ConfigResourceTypes,
  type Kafka,
  type Message,
  type Producer,
} from 'kafkajs';
import { testKafka, testReplication } from '../support/infra';

/**
 * The partner's topic is the one topic another party writes to, and a record batch the feed
 * cannot decode would stop its partition for good (operations.md, "Batches a consumer cannot
 * survive"). As provisioned, the broker refuses such batches to the partner's producer instead.
 * (A batch of too many records for kafkajs' decoder, past about 124,000, is refused by its size
 * too: a gzip batch of 60,000 empty records already is. kafkajs takes minutes to build one of
 * 40,000, grouping a request's messages in quadratic time, so that one is not sent here.)
 */
describe("the partner's topic as ctl kafka topics creates it", () => {
  const run = process.env.E2E_RUN_ID;
  const limited = `partner-limit-e2e-${run}`;
  const unlimited = `partner-limit-default-e2e-${run}`;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  const partnerSpec = gatewayTopics(3).find((s) => s.topic === TOPICS.partnerReadings)!;
  const gzip = (topic: string, messages: Message[]) =>
    producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages });

  beforeAll(async () => {
    kafka = testKafka('partner-topic-limit-e2e');
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    const report = await ensureTopics(
      kafka,
      [
        { ...partnerSpec, topic: limited, numPartitions: 1 },
        { topic: unlimited, numPartitions: 1 },
      ],
      testReplication(),
    );
    expect(report.problems).toEqual([]);
  });

  afterAll(async () => {
    await admin?.deleteTopics({ topics: [limited, unlimited] }).catch(() => undefined);
    await Promise.all([admin?.disconnect(), producer?.disconnect()]);
  });

  it(`takes at most ${PARTNER_MAX_BATCH_BYTES} bytes a batch`, async () => {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: limited, configNames: ['max.message.bytes'] },
      ],
    });
    expect(resources[0].configEntries[0].configValue).toBe(String(PARTNER_MAX_BATCH_BYTES));
  });

  it("takes the partner's batches: a hundred readings, gzipped or not", async () => {
    const readings = Array.from({ length: 100 }, (_, i) => ({
      key: '1234567890',
      value: JSON.stringify({ msgId: `MES-LIMIT-${i}`, lsMes: '1234567890', t1: `${1000 + i}.5` }),
    }));
    await producer.send({ topic: limited, acks: -1, messages: readings });
    await gzip(limited, readings);
  });

  it('refuses a gzip batch that unpacks to 100 MiB, which a default topic takes', async () => {
    const bomb = [{ value: Buffer.alloc(100 * 1024 * 1024, 'x') }];
    await gzip(unlimited, bomb);
    await expect(gzip(limited, bomb)).rejects.toMatchObject({ type: 'MESSAGE_TOO_LARGE' });
  });
});
