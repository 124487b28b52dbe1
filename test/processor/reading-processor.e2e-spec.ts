import type { INestApplication } from '@nestjs/common';
import { DLQ_HEADERS, type OutcomeMessage, type SubmissionMessage, TOPICS } from '@gw/contracts';
import type { IHeaders, Kafka, Producer } from 'kafkajs';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { registryRecord, seedMeters, submission, uniqueAccount } from '../support/factories';
import { headerBytes, RawHeaderTap } from '../messaging/raw-header-tap';
import { eventually, testDatabase, testGroup, testKafka, TopicTap } from '../support/infra';
import { startProcessor } from '../support/processor';

const RECEIVED = '2026-11-20T10:00:05.000+03:00';

describe('reading-processor through real Kafka and PostgreSQL', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let outcomes: TopicTap;
  let processor: INestApplication;

  const publish = (messages: SubmissionMessage[]) =>
    producer.send({
      topic: TOPICS.submitted,
      acks: -1,
      messages: messages.map((m) => ({ key: m.accountNumber, value: JSON.stringify(m) })),
    });

  const outcomesOf = (ids: string[]) =>
    outcomes.waitFor<OutcomeMessage>(
      (all) => all.filter((o) => ids.includes(o.submissionId)),
      ids.length,
    );

  const storedCount = async (ids: string[]) =>
    Number(
      (
        await db.query('SELECT count(*) AS n FROM readings WHERE submission_id = ANY($1::uuid[])', [
          ids,
        ])
      )[0].n,
    );

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

  it('serves health and metrics', async () => {
    await request(processor.getHttpServer()).get('/health/live').expect(200);
    await eventually(
      async () => (await request(processor.getHttpServer()).get('/health/ready')).status,
      (status) => status === 200,
    );
    const metrics = await request(processor.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toContain('consumer_batch_size');
  });

  describe('decides every reason and warning code', () => {
    const cases: {
      name: string;
      row?: Record<string, string>;
      message: (meter: { account: string; serial: string }) => Partial<SubmissionMessage>;
      status: string;
      reasons: string[];
      warnings: string[];
      consumption?: string[];
    }[] = [
      {
        name: 'accepted',
        message: () => ({ values: [{ zone: 'T1', value: '00110.500' }] }),
        status: 'accepted',
        reasons: [],
        warnings: [],
        consumption: ['10.500'],
      },
      {
        name: 'UNKNOWN_ACCOUNT',
        message: ({ serial }) => ({ accountNumber: '0000000001', meterSerial: serial }),
        status: 'rejected',
        reasons: ['UNKNOWN_ACCOUNT'],
        warnings: [],
      },
      {
        name: 'UNKNOWN_METER',
        message: () => ({ meterSerial: 'NO-SUCH-METER-1' }),
        status: 'rejected',
        reasons: ['UNKNOWN_METER'],
        warnings: [],
      },
      {
        name: 'METER_DECOMMISSIONED',
        row: { decommissioned_on: '2026-11-01' },
        message: () => ({}),
        status: 'rejected',
        reasons: ['METER_DECOMMISSIONED'],
        warnings: [],
      },
      {
        name: 'VERIFICATION_EXPIRED',
        row: { verified_on: '2020-01-01', verification_interval_months: '72' },
        message: () => ({}),
        status: 'rejected',
        reasons: ['VERIFICATION_EXPIRED'],
        warnings: [],
      },
      {
        name: 'ZONES_MISMATCH',
        message: () => ({
          values: [
            { zone: 'T1', value: '110' },
            { zone: 'T2', value: '1' },
          ],
        }),
        status: 'rejected',
        reasons: ['ZONES_MISMATCH'],
        warnings: [],
      },
      {
        name: 'VALUE_FORMAT',
        message: () => ({ values: [{ zone: 'T1', value: '123456.000' }] }),
        status: 'rejected',
        reasons: ['VALUE_FORMAT'],
        warnings: [],
      },
      {
        name: 'VALUE_DECREASED',
        row: { initial_t1: '00500.000' },
        message: () => ({ values: [{ zone: 'T1', value: '00400.000' }] }),
        status: 'rejected',
        reasons: ['VALUE_DECREASED'],
        warnings: [],
      },
      {
        name: 'READ_IN_FUTURE',
        message: () => ({ readAt: '2026-11-20T10:10:06+03:00' }),
        status: 'rejected',
        reasons: ['READ_IN_FUTURE'],
        warnings: [],
      },
      {
        name: 'READ_TOO_OLD',
        row: { initial_on: '2026-01-10' },
        message: () => ({ readAt: '2026-08-19T10:00:00+03:00' }),
        status: 'rejected',
        reasons: ['READ_TOO_OLD'],
        warnings: [],
      },
      {
        name: 'CONSUMPTION_SPIKE',
        message: () => ({ values: [{ zone: 'T1', value: '00200.000' }] }),
        status: 'needs_review',
        reasons: ['CONSUMPTION_SPIKE'],
        warnings: [],
        consumption: ['100.000'],
      },
      {
        name: 'LOW_CONFIDENCE',
        message: () => ({ channel: 'paper-slip', confidence: 0.42 }),
        status: 'needs_review',
        reasons: ['LOW_CONFIDENCE'],
        warnings: [],
        consumption: ['10.000'],
      },
      {
        name: 'VERIFICATION_DUE_SOON',
        row: { verified_on: '2020-12-10', verification_interval_months: '72' },
        message: () => ({}),
        status: 'accepted',
        reasons: [],
        warnings: ['VERIFICATION_DUE_SOON'],
        consumption: ['10.000'],
      },
      {
        name: 'ROLLOVER',
        row: { initial_t1: '99998.000' },
        message: () => ({ values: [{ zone: 'T1', value: '00003.000' }] }),
        status: 'accepted',
        reasons: [],
        warnings: ['ROLLOVER'],
        consumption: ['5.000'],
      },
      {
        name: 'OUTSIDE_WINDOW',
        message: () => ({
          readAt: '2026-11-05T10:00:00+03:00',
          receivedAt: '2026-11-05T10:00:01+03:00',
        }),
        status: 'accepted',
        reasons: [],
        warnings: ['OUTSIDE_WINDOW'],
        consumption: ['10.000'],
      },
    ];

    it('publishes the right outcome and stores it once, for each code', async () => {
      const prepared = [];
      for (const c of cases) {
        const [meter] = await seedMeters(db, [registryRecord(c.row)]);
        const ref = { account: meter.accountNumber, serial: meter.serial };
        prepared.push({
          c,
          message: submission({
            accountNumber: ref.account,
            meterSerial: ref.serial,
            receivedAt: RECEIVED,
            ...c.message(ref),
          }),
        });
      }
      const [other] = await seedMeters(db, [registryRecord()]);
      const [owner] = await seedMeters(db, [registryRecord()]);
      const notOnAccount = submission({
        accountNumber: other.accountNumber,
        meterSerial: owner.serial,
      });
      await publish([...prepared.map((p) => p.message), notOnAccount]);

      const ids = [...prepared.map((p) => p.message.submissionId), notOnAccount.submissionId];
      const received = await outcomesOf(ids);
      const byId = new Map(received.map((o) => [o.submissionId, o]));
      for (const { c, message } of prepared) {
        const outcome = byId.get(message.submissionId) as OutcomeMessage;
        expect({
          name: c.name,
          status: outcome.status,
          reasons: outcome.reasons,
          warnings: outcome.warnings,
        }).toEqual({
          name: c.name,
          status: c.status,
          reasons: c.reasons,
          warnings: c.warnings,
        });
        if (c.consumption) expect(outcome.consumption.map((x) => x.value)).toEqual(c.consumption);
        expect(outcome.accountNumber).toBe(message.accountNumber);
        expect(outcome.decidedAt).toMatch(/\+03:00$/);
      }
      expect(byId.get(notOnAccount.submissionId)).toMatchObject({
        status: 'rejected',
        reasons: ['METER_NOT_ON_ACCOUNT'],
      });
      expect(byId.get(prepared[0].message.submissionId)?.billingPeriod).toBe('2026-11');

      await eventually(
        () => storedCount(ids),
        (n) => n === ids.length,
      );
      const [row] = await db.query(
        `SELECT t1::text, status, billing_period FROM readings WHERE submission_id = $1`,
        [prepared[0].message.submissionId],
      );
      expect(row).toEqual({ t1: '110.500000', status: 'accepted', billing_period: '2026-11' });
    });
  });

  it('decides several readings of one meter in one batch in order, and marks an identical one duplicate', async () => {
    const [meter] = await seedMeters(db, [registryRecord({ initial_t1: '00010.000' })]);
    const base = { accountNumber: meter.accountNumber, meterSerial: meter.serial };
    const first = submission({
      ...base,
      values: [{ zone: 'T1', value: '00012.000' }],
      readAt: '2026-11-18T09:00:00+03:00',
    });
    const second = submission({
      ...base,
      values: [{ zone: 'T1', value: '00015.000' }],
      readAt: '2026-11-20T09:00:00+03:00',
    });
    const again = submission({
      ...base,
      values: [{ zone: 'T1', value: '15' }],
      readAt: '2026-11-20T09:00:00+03:00',
    });
    const older = submission({
      ...base,
      values: [{ zone: 'T1', value: '00013.000' }],
      readAt: '2026-11-19T09:00:00+03:00',
    });
    await publish([first, second, again, older]);
    const received = await outcomesOf([first, second, again, older].map((m) => m.submissionId));
    const status = (m: SubmissionMessage) =>
      received.find((o) => o.submissionId === m.submissionId);
    expect(status(first)).toMatchObject({
      status: 'accepted',
      consumption: [{ zone: 'T1', value: '2.000' }],
    });
    expect(status(second)).toMatchObject({
      status: 'accepted',
      consumption: [{ zone: 'T1', value: '3.000' }],
    });
    expect(status(again)).toMatchObject({ status: 'duplicate', reasons: [] });
    expect(status(older)).toMatchObject({ status: 'rejected', reasons: ['READ_TOO_OLD'] });
  });

  it('stores readAt as the instant it decided on, so a fraction finer than a millisecond repeats as a duplicate', async () => {
    const [meter] = await seedMeters(db, [registryRecord({ initial_t1: '00010.000' })]);
    // RFC 3339 allows any fraction: PostgreSQL would round this one up to the next second.
    const reading = () =>
      submission({
        accountNumber: meter.accountNumber,
        meterSerial: meter.serial,
        values: [{ zone: 'T1', value: '00012.000' }],
        readAt: '2026-11-20T09:00:00.9999995+03:00',
      });
    const first = reading();
    await publish([first]);
    expect((await outcomesOf([first.submissionId]))[0].status).toBe('accepted');
    const again = reading();
    await publish([again]);
    expect((await outcomesOf([again.submissionId]))[0]).toMatchObject({
      status: 'duplicate',
      reasons: [],
    });
    const [{ read_at }] = await db.query(
      `SELECT to_char(read_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS read_at
         FROM readings WHERE submission_id = $1`,
      [first.submissionId],
    );
    expect(read_at).toBe('2026-11-20T06:00:00.999000');
  });

  it('marks duplicate a value re-sent after a higher one of the same period was accepted', async () => {
    const [meter] = await seedMeters(db, [registryRecord({ initial_t1: '00010.000' })]);
    const reading = (value: string, readAt: string) =>
      submission({
        accountNumber: meter.accountNumber,
        meterSerial: meter.serial,
        values: [{ zone: 'T1', value }],
        readAt,
      });
    const first = reading('00012.000', '2026-11-18T09:00:00+03:00');
    const second = reading('00015.000', '2026-11-19T09:00:00+03:00');
    await publish([first, second]);
    await outcomesOf([first.submissionId, second.submissionId]);
    const resent = reading('12', '2026-11-20T09:00:00+03:00');
    await publish([resent]);
    expect((await outcomesOf([resent.submissionId]))[0]).toMatchObject({
      status: 'duplicate',
      reasons: [],
      billingPeriod: '2026-11',
    });
  });

  it("decides a suspected swap against its account's water meters and the rest of its batch as before", async () => {
    const account = (resource: string, initial: string, accountNumber?: string) =>
      registryRecord({
        ...(accountNumber ? { account_number: accountNumber } : {}),
        resource,
        initial_t1: initial,
        initial_on: '2026-10-18',
      });
    const [cold] = await seedMeters(db, [account('cold_water', '00300.000')]);
    const [hot] = await seedMeters(db, [account('hot_water', '00150.000', cold.accountNumber)]);
    const [other] = await seedMeters(db, [account('cold_water', '00010.000')]);
    const reading = (meter: typeof cold, value: string, day: number) =>
      submission({
        accountNumber: meter.accountNumber,
        meterSerial: meter.serial,
        values: [{ zone: 'T1', value }],
        readAt: `2026-11-${day}T09:00:00+03:00`,
      });
    const batch = [
      reading(other, '00012.000', 18),
      reading(cold, '00152.000', 18),
      reading(other, '00015.000', 20),
      reading(hot, '00151.000', 19),
    ];
    // One key: one partition, so the four are decided together.
    await producer.send({
      topic: TOPICS.submitted,
      acks: -1,
      messages: batch.map((m) => ({ key: other.accountNumber, value: JSON.stringify(m) })),
    });
    const ids = batch.map((m) => m.submissionId);
    const received = await outcomesOf(ids);
    const outcome = (i: number) => received.find((o) => o.submissionId === ids[i]);
    expect(outcome(0)).toMatchObject({ status: 'accepted', consumption: [{ value: '2.000' }] });
    expect(outcome(1)).toMatchObject({ status: 'needs_review', reasons: ['SUSPECTED_SWAP'] });
    expect(outcome(2)).toMatchObject({ status: 'accepted', consumption: [{ value: '3.000' }] });
    expect(outcome(3)).toMatchObject({ status: 'accepted', consumption: [{ value: '1.000' }] });
    expect(await storedCount(ids)).toBe(4);
  });

  it('sends a poison message to the DLQ with the reason while the partition keeps flowing', async () => {
    const dlq = await TopicTap.open(kafka, TOPICS.submittedDlq);
    try {
      const [meter] = await seedMeters(db, [registryRecord()]);
      const good = submission({ accountNumber: meter.accountNumber, meterSerial: meter.serial });
      const marker = `not json ${good.submissionId}`;
      await producer.send({
        topic: TOPICS.submitted,
        acks: -1,
        messages: [
          { key: meter.accountNumber, value: marker, headers: { 'x-test': 'poison' } },
          { key: meter.accountNumber, value: JSON.stringify({ ...good, submissionId: 'nope' }) },
          { key: meter.accountNumber, value: JSON.stringify(good) },
        ],
      });
      const [outcome] = await outcomesOf([good.submissionId]);
      expect(outcome.status).toBe('accepted');
      const dead = await eventually(
        async () => dlq.ours().filter((m) => m.key === meter.accountNumber),
        (found) => found.length === 2,
      );
      expect(dead[0].value?.toString()).toBe(marker);
      expect(dead[0].headers).toMatchObject({
        [DLQ_HEADERS.error]: 'UNDECODABLE',
        [DLQ_HEADERS.reason]: 'value is not valid JSON',
        'x-test': 'poison',
      });
      expect(dead[1].headers[DLQ_HEADERS.reason]).toBe('submissionId must be a UUID');
    } finally {
      await dlq.close();
    }
  });

  it('dead-letters a message with its headers byte for byte, binary and repeated ones included', async () => {
    const dlq = await RawHeaderTap.open(kafka, TOPICS.submittedDlq);
    try {
      const [meter] = await seedMeters(db, [registryRecord()]);
      const good = submission({ accountNumber: meter.accountNumber, meterSerial: meter.serial });
      const marker = `not json ${good.submissionId}`;
      const headers: IHeaders = {
        'x-bin': Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]),
        'x-twice': ['first', Buffer.from([0xc3, 0x28]), 'first'],
        'x-empty': Buffer.alloc(0),
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      };
      const [sent] = await producer.send({
        topic: TOPICS.submitted,
        acks: -1,
        messages: [
          { key: meter.accountNumber, value: marker, headers },
          { key: meter.accountNumber, value: JSON.stringify(good) },
        ],
      });
      await outcomesOf([good.submissionId]);
      const [letter] = await dlq.waitFor((m) => m.value?.toString() === marker);
      expect(letter.key?.toString()).toBe(meter.accountNumber);
      expect(headerBytes(letter.headers)).toEqual(
        headerBytes({
          ...headers,
          [DLQ_HEADERS.error]: 'UNDECODABLE',
          [DLQ_HEADERS.reason]: 'value is not valid JSON',
          'x-original-topic': TOPICS.submitted,
          'x-original-partition': String(sent.partition),
          'x-original-offset': String(sent.baseOffset),
          'x-decided-by': testGroup('reading-processor'),
        }),
      );
    } finally {
      await dlq.close();
    }
  });

  it('stores nothing twice when a whole batch is redelivered', async () => {
    const meters = await seedMeters(db, [registryRecord(), registryRecord(), registryRecord()]);
    const batch = meters.map((m) =>
      submission({ accountNumber: m.accountNumber, meterSerial: m.serial }),
    );
    const ids = batch.map((m) => m.submissionId);
    await publish(batch);
    await outcomesOf(ids);
    const before = await db.query(
      'SELECT submission_id, status, decided_at FROM readings WHERE submission_id = ANY($1::uuid[]) ORDER BY 1',
      [ids],
    );

    await publish(batch);
    const republished = await outcomes.waitFor<OutcomeMessage>(
      (all) => all.filter((o) => ids.includes(o.submissionId)),
      ids.length * 2,
    );
    expect(republished.filter((o) => o.status === 'accepted')).toHaveLength(ids.length * 2);
    const after = await db.query(
      'SELECT submission_id, status, decided_at FROM readings WHERE submission_id = ANY($1::uuid[]) ORDER BY 1',
      [ids],
    );
    expect(after).toEqual(before);
    expect(await storedCount(ids)).toBe(3);
  });

  /**
   * Swapped cold and hot water (domain.md; contract section 3, SUSPECTED_SWAP) on an account whose
   * hot meter is replaced: the pair is the hot meter in the flat on the reading's day.
   */
  describe('swapped water across a hot meter replacement', () => {
    /**
     * Cold last read at 100 m³ and hot at 50 m³ on 20 October 2026; with `replaced`, the hot
     * meter is decommissioned on 1 December and its replacement, starting at 0 m³, installed that
     * day.
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
        const reading = submission({
          accountNumber: cold.accountNumber,
          meterSerial: cold.serial,
          readAt: `${day}T10:00:00+03:00`,
          receivedAt: `${day}T10:00:05.000+03:00`,
          values: [{ zone: 'T1', value }],
        });
        await publish([reading]);
        const [outcome] = await outcomesOf([reading.submissionId]);
        expect(outcome).toMatchObject({ status: 'needs_review', reasons: ['SUSPECTED_SWAP'] });
      },
    );
  });
});
