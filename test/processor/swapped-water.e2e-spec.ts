import type { INestApplication } from '@nestjs/common';
import { type OutcomeMessage, type SubmissionMessage, TOPICS } from '@gw/contracts';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { registryRecord, seedMeters, submission, uniqueAccount } from '../support/factories';
import { testDatabase, testKafka, TopicTap } from '../support/infra';
import { startProcessor } from '../support/processor';

/**
 * Swapped cold and hot water (domain.md; contract section 3, SUSPECTED_SWAP) on an account whose
 * hot meter is replaced: the pair is the hot meter in the flat on the reading's day.
 */
describe('reading-processor: swapped water across a hot meter replacement', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let outcomes: TopicTap;
  let processor: INestApplication;

  beforeAll(async () => {
    kafka = testKafka();
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    db = await testDatabase();
    outcomes = await TopicTap.open(kafka, TOPICS.outcomes);
    processor = await startProcessor();
  });

  afterAll(async () => {
    await processor?.close();
    await outcomes?.close();
    await producer?.disconnect();
    await db?.destroy();
  });

  async function decide(m: SubmissionMessage): Promise<OutcomeMessage> {
    await producer.send({
      topic: TOPICS.submitted,
      acks: -1,
      messages: [{ key: m.accountNumber, value: JSON.stringify(m) }],
    });
    const [outcome] = await outcomes.waitFor<OutcomeMessage>(
      (all) => all.filter((o) => o.submissionId === m.submissionId),
      1,
    );
    return outcome;
  }

  /**
   * Cold last read at 100 m³ and hot at 50 m³ on 20 October 2026; with `replaced`, the hot meter
   * is decommissioned on 1 December and its replacement, starting at 0 m³, installed that day.
   */
  async function waterAccount(replaced: boolean) {
    const accountNumber = uniqueAccount();
    const water = (resource: string, more: Record<string, string>) =>
      registryRecord({ account_number: accountNumber, resource, ...more });
    const [cold] = await seedMeters(db, [
      water('cold_water', { initial_t1: '00100.000' }),
      water('hot_water', {
        initial_t1: '00050.000',
        decommissioned_on: replaced ? '2026-12-01' : '',
      }),
      ...(replaced
        ? [
            water('hot_water', {
              installed_on: '2026-12-01',
              verified_on: '2026-12-01',
              initial_t1: '00000.000',
              initial_on: '2026-12-01',
            }),
          ]
        : []),
    ]);
    return cold;
  }

  it.each([
    // The replacement was not in the flat on 20 November: the replaced meter is the pair.
    ['the replacement installed after the reading', true, '2026-11-20', '00052.000'],
    ['no replacement', false, '2026-11-20', '00052.000'],
    // From 1 December (Moscow) the replacement is the pair: 0.3 m³ on it.
    ['the replacement installed on the reading day', true, '2026-12-01', '00000.300'],
  ])(
    'a cold reading with the hot value typed in, %s: SUSPECTED_SWAP',
    async (_name, replaced, day, value) => {
      const cold = await waterAccount(replaced);
      const outcome = await decide(
        submission({
          accountNumber: cold.accountNumber,
          meterSerial: cold.serial,
          readAt: `${day}T10:00:00+03:00`,
          receivedAt: `${day}T10:00:05.000+03:00`,
          values: [{ zone: 'T1', value }],
        }),
      );
      expect(outcome).toMatchObject({ status: 'needs_review', reasons: ['SUSPECTED_SWAP'] });
    },
  );
});
