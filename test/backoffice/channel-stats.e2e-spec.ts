import type { SubmissionMessage } from '@gw/contracts';
import { formatDate, moscowDate, parseDate } from '@gw/domain';
import { registryRecord, seedMeters, submission, uniqueSerial } from '../support/factories';
import { bearer, ReviewStack } from './review-harness';

/** Rows the volume test adds: a month of a busy settlement centre. */
const VOLUME = 200_000;

describe('backoffice channel statistics through real Kafka, processor and PostgreSQL', () => {
  let stack: ReviewStack;
  let supervisor: { token: string };

  const get = (path: string) => stack.http().get(path).set(bearer(supervisor.token));

  beforeAll(async () => {
    stack = await ReviewStack.start();
    supervisor = await stack.operator('supervisor');
  });

  afterAll(async () => {
    await stack?.db.query(`DELETE FROM readings WHERE source_id = 'stats-volume'`);
    await stack?.stop();
  });

  it('counts per channel and Moscow day of receipt: received, accepted, rejected by reason, in review', async () => {
    // March 2031: no other test submits readings then.
    const meters = await seedMeters(
      stack.db,
      Array.from({ length: 7 }, () =>
        registryRecord({
          installed_on: '2030-06-01',
          verified_on: '2030-06-01',
          initial_on: '2031-02-01',
        }),
      ),
    );
    const at = (
      receivedAt: string,
      m: number,
      value: string,
      extra: Partial<SubmissionMessage> = {},
    ) =>
      submission({
        accountNumber: meters[m].accountNumber,
        meterSerial: meters[m].serial,
        values: [{ zone: 'T1', value }],
        readAt: receivedAt,
        receivedAt,
        ...extra,
      });
    const day1 = '2031-03-01T10:00:00+03:00';
    const day2 = '2031-03-02T10:00:00+03:00';
    const day3 = '2031-03-03T10:00:00+03:00';
    const slip = at(day3, 4, '00110.000', { channel: 'paper-slip', confidence: 0.5 });
    const published = [
      at(day1, 0, '00110.000'),
      at(day1, 1, '00105.000'),
      // Late on the 1st in Moscow (20:30 UTC) and just after midnight of the 2nd (21:30 UTC the 1st).
      at('2031-03-01T23:30:00+03:00', 0, '00110.000', { channel: 'cabinet', readAt: day1 }),
      at('2031-03-02T00:30:00+03:00', 6, '00107.000', { channel: 'mosenergosbyt' }),
      at(day1, 0, '00120.000', { meterSerial: uniqueSerial('NONE') }),
      at(day2, 2, '00900.000'),
      at(day2, 3, '1234567', { channel: 'cabinet' }),
      slip,
      at(day3, 5, '00104.000', { channel: 'payment-terminal' }),
    ];
    await stack.publish(published);
    const statuses = await stack.decided(published.map((m) => m.submissionId));
    expect(statuses.get(published[2].submissionId)).toBe('duplicate');
    const operator = await stack.operator('operator');
    await stack
      .http()
      .post(`/v1/review/${slip.submissionId}/reject`)
      .set(bearer(operator.token))
      .send({ comment: 'не читается', reasons: ['VALUE_FORMAT'] })
      .expect(200);

    const res = await get('/v1/stats/channels?from=2031-03-01&to=2031-03-03').expect(200);
    expect(res.body.from).toBe('2031-03-01');
    expect(res.body.to).toBe('2031-03-03');
    expect(res.body.days).toHaveLength(15);
    const zero = {
      received: 0,
      accepted: 0,
      duplicate: 0,
      rejected: 0,
      rejectedByReason: {},
      inReview: 0,
    };
    const row = (date: string, channel: string, counts: Partial<typeof zero> = {}) => ({
      date,
      channel,
      ...zero,
      ...counts,
    });
    const channels = ['cabinet', 'payment-terminal', 'kiosk', 'paper-slip', 'mosenergosbyt'];
    const expected: Record<string, Record<string, Partial<typeof zero>>> = {
      '2031-03-01': {
        cabinet: { received: 1, duplicate: 1 },
        kiosk: { received: 3, accepted: 2, rejected: 1, rejectedByReason: { UNKNOWN_METER: 1 } },
      },
      '2031-03-02': {
        cabinet: { received: 1, rejected: 1, rejectedByReason: { VALUE_FORMAT: 1 } },
        kiosk: { received: 1, inReview: 1 },
        mosenergosbyt: { received: 1, accepted: 1 },
      },
      '2031-03-03': {
        'payment-terminal': { received: 1, accepted: 1 },
        'paper-slip': { received: 1, rejected: 1, rejectedByReason: { VALUE_FORMAT: 1 } },
      },
    };
    expect(res.body.days).toEqual(
      Object.entries(expected).flatMap(([date, counts]) =>
        channels.map((channel) => row(date, channel, counts[channel])),
      ),
    );
    expect(res.body.totals).toEqual([
      {
        channel: 'cabinet',
        ...zero,
        received: 2,
        duplicate: 1,
        rejected: 1,
        rejectedByReason: { VALUE_FORMAT: 1 },
      },
      { channel: 'payment-terminal', ...zero, received: 1, accepted: 1 },
      {
        channel: 'kiosk',
        ...zero,
        received: 4,
        accepted: 2,
        rejected: 1,
        rejectedByReason: { UNKNOWN_METER: 1 },
        inReview: 1,
      },
      {
        channel: 'paper-slip',
        ...zero,
        received: 1,
        rejected: 1,
        rejectedByReason: { VALUE_FORMAT: 1 },
      },
      { channel: 'mosenergosbyt', ...zero, received: 1, accepted: 1 },
    ]);
  });

  it('defaults to the current Moscow month up to today and answers 400 for a bad range', async () => {
    // The server reads its clock during the request: its today is the Moscow date before or after.
    const before = formatDate(moscowDate(new Date()));
    const res = await get('/v1/stats/channels').expect(200);
    expect([before, formatDate(moscowDate(new Date()))]).toContain(res.body.to);
    const today = parseDate(res.body.to);
    expect(res.body.from).toBe(formatDate({ ...today, day: 1 }));
    expect(res.body.days).toHaveLength(today.day * 5);
    const cases: [string, string | string[]][] = [
      ['?from=2031-3-1', 'from must be a date YYYY-MM-DD'],
      ['?to=2031-02-30', 'to must be a date YYYY-MM-DD'],
      ['?from=2031-03-05&to=2031-03-01', 'from must not be after to'],
      ['?from=2030-01-01&to=2031-03-01', 'the range must not exceed 366 days'],
      ['?from=2031-03-01&from=2031-03-02', ['from must be a date YYYY-MM-DD']],
    ];
    for (const [query, message] of cases) {
      const bad = await get(`/v1/stats/channels${query}`);
      expect({ query, status: bad.status, message: bad.body.message }).toEqual({
        query,
        status: 400,
        message,
      });
    }
  });

  it(`answers for a month of ${VOLUME} readings with one set-based query, in well under a second`, async () => {
    await stack.db.query(
      `INSERT INTO readings (submission_id, channel, source_id, source_ref, account_number, meter_serial,
                             submitted_values, read_at, received_at, status, reasons, decided_at, kafka_partition, kafka_offset)
       SELECT gen_random_uuid(), (ARRAY['cabinet','payment-terminal','kiosk','paper-slip','mosenergosbyt'])[1 + i % 5],
              'stats-volume', 'v/' || i, '0000000000', 'VOLUME-' || (i % 5000), '[]', t.at, t.at,
              (ARRAY['accepted','accepted','accepted','rejected','needs_review','duplicate'])[1 + i % 6],
              CASE WHEN i % 6 = 3 THEN ARRAY[(ARRAY['VALUE_FORMAT','READ_TOO_OLD'])[1 + i % 2]] ELSE '{}'::text[] END,
              t.at, 0, i
         FROM generate_series(1, $1::int) AS i,
              LATERAL (SELECT timestamptz '2032-01-01 00:00:00+03' + (i % 31) * interval '1 day'
                                + (i % 86400) * interval '1 second' AS at) t`,
      [VOLUME],
    );
    await stack.db.query('ANALYZE readings');
    const path = '/v1/stats/channels?from=2032-01-01&to=2032-01-31';
    await get(path).expect(200);
    const started = process.hrtime.bigint();
    const res = await get(path).expect(200);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    process.stderr.write(`[stats] ${VOLUME} readings over 31 days: ${ms.toFixed(0)} ms\n`);
    expect(res.body.days).toHaveLength(31 * 5);
    const received = res.body.totals.reduce(
      (sum: number, t: { received: number }) => sum + t.received,
      0,
    );
    expect(received).toBe(VOLUME);
    const kiosk = res.body.totals.find((t: { channel: string }) => t.channel === 'kiosk');
    expect(kiosk.received).toBe(VOLUME / 5);
    const byReason = Object.values(kiosk.rejectedByReason as Record<string, number>);
    expect(byReason.reduce((sum, n) => sum + n, 0)).toBe(kiosk.rejected);
    expect(ms).toBeLessThan(1500);
  });
});
