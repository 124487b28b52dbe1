import { Logger } from '@nestjs/common';
import { TOPICS } from '@gw/contracts';
import { deadLetter, ensureTopics, type InboundMessage, KafkaPublisher } from '@gw/messaging';
import { type Admin, ConfigResourceTypes } from 'kafkajs';
import { eventually, testKafka, testReplication, TopicTap } from '../support/infra';

/**
 * Contract section 2: a dead letter keeps the original bytes, and the partition moves on. The
 * dead-letter topics therefore take more than their source topics, and a letter that does not fit
 * all the same (a source topic's limit raised later) goes without the original, not nowhere.
 */
/** Room for the letter headers a dead-letter topic keeps beyond its source topic's limit. */
const HEADROOM_BYTES = 64 * 1024;

describe('dead-letter topics on the real broker', () => {
  const kafka = testKafka('dead-letter-topics-e2e');
  const run = process.env.E2E_RUN_ID;
  const source = `dead-letter-source-e2e-${run}`;
  const dlq = `dead-letter-source-e2e-${run}.dlq`;
  const smallDlq = `dead-letter-small-e2e-${run}.dlq`;
  let admin: Admin;

  /** The topic's settings, by name, as the broker has them (its own and the defaults). */
  const settings = async (topic: string) => {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    });
    return Object.fromEntries(resources[0].configEntries.map((e) => [e.configName, e.configValue]));
  };
  const maxMessageBytes = async (topic: string) =>
    Number((await settings(topic))['max.message.bytes']);

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [source, dlq, smallDlq] }).catch(() => undefined);
    await admin.disconnect();
  });

  it.each([
    [TOPICS.submitted, TOPICS.submittedDlq],
    [TOPICS.partnerReadings, TOPICS.partnerReadingsDlq],
  ])(
    '%s: its dead-letter topic, as provisioned, takes any record of it with the letter headers',
    async (topic, dead) => {
      expect(await maxMessageBytes(dead)).toBeGreaterThanOrEqual(
        (await maxMessageBytes(topic)) + HEADROOM_BYTES,
      );
    },
  );

  it("raises an existing dead-letter topic's limit above its source's, keeping its other settings, once", async () => {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: source,
          numPartitions: 1,
          configEntries: [
            { name: 'max.message.bytes', value: '2000000' },
            { name: 'min.insync.replicas', value: '1' },
          ],
        },
        {
          topic: dlq,
          numPartitions: 1,
          configEntries: [
            { name: 'retention.ms', value: '3600000' },
            { name: 'min.insync.replicas', value: '1' },
          ],
        },
      ],
    });
    const specs = [
      { topic: source, numPartitions: 1 },
      { topic: dlq, numPartitions: 1, deadLettersOf: source },
    ];
    const expected = {
      'max.message.bytes': String(2_000_000 + HEADROOM_BYTES),
      'retention.ms': '3600000',
      'min.insync.replicas': '1',
    };
    const ensured = async () => {
      expect(await ensureTopics(kafka, specs, testReplication())).toMatchObject({ problems: [] });
      expect(await settings(dlq)).toMatchObject(expected);
      expect(await maxMessageBytes(source)).toBe(2_000_000);
    };
    await ensured();
    await ensured(); // and again: nothing changes
  });

  it('sends a letter too large for its topic without the original, where to find it named, and the others whole', async () => {
    Logger.overrideLogger(false);
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: smallDlq,
          numPartitions: 1,
          configEntries: [{ name: 'max.message.bytes', value: '100000' }],
        },
      ],
    });
    const tap = await TopicTap.open(kafka, smallDlq);
    const publisher = new KafkaPublisher(kafka, 10_000);
    const message = (offset: string, value: string): InboundMessage => ({
      key: Buffer.from('MES-BIG'),
      value: Buffer.from(value),
      headers: { 'x-test': 'kept' },
      offset,
      timestamp: String(Date.now()),
    });
    const small = message('41', 'not json');
    const big = message('42', 'x'.repeat(200_000));
    try {
      await deadLetter(
        publisher,
        smallDlq,
        { topic: source, partition: 0, messages: [small, big] },
        [small, big].map((m) => ({
          message: m,
          error: 'MALFORMED',
          reason: 'value is not valid JSON',
        })),
      );
      const letters = await eventually(
        async () => tap.messages,
        (all) => all.length === 2,
      );
      const byOffset = new Map(letters.map((m) => [m.headers['x-original-offset'], m]));
      expect(byOffset.get('41')).toMatchObject({
        key: 'MES-BIG',
        value: Buffer.from('not json'),
        headers: { 'x-test': 'kept', 'x-error': 'MALFORMED' },
      });
      const stub = byOffset.get('42');
      expect(stub?.key).toBe('MES-BIG');
      expect(stub?.value?.length ?? 0).toBe(0);
      expect(stub?.headers).toEqual({
        'x-error': 'MALFORMED',
        'x-error-reason': 'value is not valid JSON',
        'x-original-topic': source,
        'x-original-partition': '0',
        'x-original-offset': '42',
        'x-original-omitted': expect.stringContaining(`too large for ${smallDlq}`),
      });
    } finally {
      await publisher.close();
      await tap.close();
    }
  });
});
