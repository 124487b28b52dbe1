import type { INestApplication } from '@nestjs/common';
import {
  estimateId,
  type EstimateMessage,
  type OutcomeMessage,
  type SubmissionMessage,
  TOPICS,
} from '@gw/contracts';
import { DEFAULT_ESTIMATE_POLICY, DEFAULT_WINDOW_POLICY, type RegistryRecord } from '@gw/domain';
import { EstimateRepository, TransactionRunner } from '@gw/persistence';
import { RunEstimatesUseCase } from '@gw/runtime';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { registryRecord, seedMeters, submission } from '../support/factories';
import { testDatabase, testKafka, TopicTap } from '../support/infra';
import { startProcessor } from '../support/processor';

/** A reading of `record`'s meter taken (and received) on the 20th of `period`. */
function readingOf(record: RegistryRecord, period: string, value: string): SubmissionMessage {
  return submission({
    accountNumber: record.account_number,
    meterSerial: record.serial,
    values: [{ zone: 'T1', value }],
    readAt: `${period}-20T10:00:00+03:00`,
    receivedAt: `${period}-20T10:00:05.000+03:00`,
  });
}

describe('estimate runs: precision of the history and of the reading, and the windows per resource', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let estimates: TopicTap;
  let outcomes: TopicTap;
  let processor: INestApplication;

  const useCase = () =>
    new RunEstimatesUseCase(
      new EstimateRepository(db),
      new TransactionRunner(db),
      DEFAULT_WINDOW_POLICY,
      DEFAULT_ESTIMATE_POLICY,
    );

  async function accepted(messages: SubmissionMessage[]): Promise<OutcomeMessage[]> {
    await producer.send({
      topic: TOPICS.submitted,
      acks: -1,
      messages: messages.map((m) => ({ key: m.accountNumber, value: JSON.stringify(m) })),
    });
    const ids = messages.map((m) => m.submissionId);
    const decided = await outcomes.waitFor<OutcomeMessage>(
      (all) => all.filter((o) => ids.includes(o.submissionId)),
      ids.length,
    );
    expect(decided.map((o) => o.status)).toEqual(ids.map(() => 'accepted'));
    return ids.map((id) => decided.find((o) => o.submissionId === id) as OutcomeMessage);
  }

  const normative = (record: RegistryRecord, volume: string) =>
    db.query(
      `INSERT INTO normatives (account_number, resource, monthly_volume) VALUES ($1, $2, $3)`,
      [record.account_number, record.resource, volume],
    );

  beforeAll(async () => {
    kafka = testKafka();
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    db = await testDatabase();
    estimates = await TopicTap.open(kafka, TOPICS.estimates);
    outcomes = await TopicTap.open(kafka, TOPICS.outcomes);
    processor = await startProcessor({
      REMINDERS_ENABLED: 'false',
      BILLING_JOBS_INTERVAL_MS: '300',
    });
  });

  afterAll(async () => {
    await processor?.close();
    await estimates?.close();
    await outcomes?.close();
    await producer?.disconnect();
    await db?.destroy();
  });

  it('averages the full precision of a heat meter with 4 fraction digits, and supersedes with the reading exactly', async () => {
    const heat = registryRecord({
      resource: 'heat',
      integer_digits: '5',
      fraction_digits: '4',
      initial_t1: '00100.0000',
      initial_on: '2025-12-20',
    });
    await seedMeters(db, [heat]);
    await normative(heat, '0.5');
    // 0.1235 Gcal a month from 2026-01 to 2026-06: an average of 0.1235, three decimals 0.124.
    const values = [
      '00100.1235',
      '00100.2470',
      '00100.3705',
      '00100.4940',
      '00100.6175',
      '00100.7410',
    ];
    await accepted(values.map((v, i) => readingOf(heat, `2026-0${i + 1}`, v)));

    await useCase().run('2026-07', new Date());
    const [estimate] = await estimates.waitFor<EstimateMessage>(
      (all) => all.filter((e) => e.meterSerial === heat.serial && e.billingPeriod === '2026-07'),
      1,
    );
    expect(estimate).toMatchObject({
      method: 'average',
      consumption: [{ zone: 'T1', value: '0.124' }],
      basis: { from: '2026-01', to: '2026-06', periods: 6 },
    });

    const [outcome] = await accepted([readingOf(heat, '2026-07', '00100.8645')]);
    expect(outcome.consumption).toEqual([{ zone: 'T1', value: '0.1235' }]);
    const [reading] = await estimates.waitFor<EstimateMessage>(
      (all) => all.filter((e) => e.meterSerial === heat.serial && e.method === 'reading'),
      1,
    );
    expect(reading).toMatchObject({
      supersedes: estimateId(heat.serial as string, '2026-07'),
      consumption: [{ zone: 'T1', value: '0.1235' }],
    });
  });

  it("estimates each resource the day after its own window closes, once (contract section 10's example moment)", async () => {
    const water = registryRecord();
    const electricity = registryRecord({
      resource: 'electricity',
      integer_digits: '6',
      fraction_digits: '1',
      initial_t1: '01000.0',
    });
    await seedMeters(db, [water, electricity]);
    await normative(water, '6.9');
    await normative(electricity, '250');
    const ours = [water.serial, electricity.serial];
    const stored = async () =>
      db.query(
        `SELECT meter_serial AS serial, to_char(decided_at AT TIME ZONE 'Europe/Moscow', 'YYYY-MM-DD"T"HH24:MI') AS at
           FROM meter_estimates WHERE billing_period = '2027-06' AND meter_serial = ANY ($1) ORDER BY decided_at`,
        [ours],
      );

    // Water's window closed on the 25th, electricity's closes on the 26th.
    const waterDay = await useCase().run('2027-06', new Date('2027-06-26T00:05:00.000+03:00'));
    expect(waterDay.pending).toEqual([{ resource: 'electricity', closesOn: '2027-06-26' }]);
    expect(await stored()).toEqual([{ serial: water.serial, at: '2027-06-26T00:05' }]);
    const [message] = await estimates.waitFor<EstimateMessage>(
      (all) => all.filter((e) => e.meterSerial === water.serial),
      1,
    );
    expect(message).toMatchObject({
      billingPeriod: '2027-06',
      method: 'normative',
      consumption: [{ zone: 'T1', value: '6.900' }],
      decidedAt: '2027-06-26T00:05:00.000+03:00',
    });

    const again = await useCase().run('2027-06', new Date('2027-06-26T12:00:00.000+03:00'));
    expect(again).toMatchObject({ estimated: 0 });

    const electricityDay = await useCase().run(
      '2027-06',
      new Date('2027-06-27T00:05:00.000+03:00'),
    );
    expect(electricityDay.pending).toEqual([]);
    expect(await stored()).toEqual([
      { serial: water.serial, at: '2027-06-26T00:05' },
      { serial: electricity.serial, at: '2027-06-27T00:05' },
    ]);
    const last = await useCase().run('2027-06', new Date('2027-06-28T00:05:00.000+03:00'));
    expect(last).toMatchObject({ estimated: 0, pending: [] });
  });
});
