import type { ReasonCode, SubmissionMessage } from '@gw/contracts';
import { rejected } from '@gw/domain';
import {
  MeterRepository,
  MeterVerificationRepository,
  ReadingRepository,
  transaction,
} from '@gw/persistence';
import type { DataSource } from 'typeorm';
import { registryRecord, seedMeters, submission } from '../support/factories';
import { testDatabase } from '../support/infra';

/**
 * Moscow time is UTC+3 all year (contract section 1), also for dates before October 2014, when
 * PostgreSQL's `Europe/Moscow` was UTC+4 (in summer, and all year from 2011): the queries that
 * turn dates into instants and back agree with libs/domain's fixed offset.
 */
describe('persistence: Moscow days of dates before 2014', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await testDatabase();
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it("gives a meter's initial values the start of their Moscow day as readAt", async () => {
    const [meter] = await seedMeters(db, [
      registryRecord({
        resource: 'electricity',
        integer_digits: '6',
        fraction_digits: '1',
        installed_on: '2013-06-01',
        verified_on: '2013-06-01',
        verification_interval_months: '192',
        initial_t1: '001234.5',
        initial_on: '2013-06-01',
      }),
    ]);
    const found = await new MeterRepository(db).findBySerial(meter.serial);
    expect(found?.lastAccepted?.readAt.toISOString()).toBe('2013-05-31T21:00:00.000Z');
  });

  /** Stores `message` rejected for `reason`, with `billingPeriod`. */
  const storeRejected = (
    message: SubmissionMessage,
    reason: ReasonCode,
    billingPeriod: string | null,
  ) => {
    return transaction(db, (tx) =>
      new ReadingRepository(db).insertDecisions(tx, [
        {
          message,
          decision: rejected(reason, billingPeriod),
          decidedAt: new Date(),
          partition: 0,
          offset: '0',
          traceId: null,
        },
      ]),
    );
  };

  it('lists a reading without a billing period under the Moscow month it was read in', async () => {
    const message = submission({ readAt: '2012-06-30T23:30:00+03:00' });
    await storeRejected(message, 'UNKNOWN_METER', null);
    const readings = new ReadingRepository(db);
    const listed = (period: string) =>
      readings.listByAccountPeriod(message.accountNumber, period).then((r) => r.length);
    expect(await listed('2012-06')).toBe(1);
    expect(await listed('2012-07')).toBe(0);
  });

  it('does not count a reading made the evening before a verification as one it could revive', async () => {
    const [meter] = await seedMeters(db, [
      registryRecord({
        installed_on: '2013-01-10',
        verified_on: '2013-06-01',
        verification_interval_months: '72',
        initial_on: '',
        initial_t1: '',
      }),
    ]);
    // 23:30 on 31 May in Moscow: before the verification of 1 June, which does not cover it.
    await storeRejected(
      submission({
        accountNumber: meter.accountNumber,
        meterSerial: meter.serial,
        readAt: '2013-05-31T23:30:00+03:00',
      }),
      'VERIFICATION_EXPIRED',
      '2013-06',
    );
    expect(await new MeterVerificationRepository(db).countRevalidatable(meter.serial)).toBe(0);
  });
});
