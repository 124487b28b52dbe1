import type { INestApplication } from '@nestjs/common';
import { type SubmissionMessage, submissionId, TOPICS } from '@gw/contracts';
import { REASON_TEXTS_RU, WARNING_TEXTS_RU } from '@gw/domain';
import type { Producer } from 'kafkajs';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { CabinetRetention } from '../../apps/cabinet-api/src/retention/cabinet-retention.service';
import { type MailCatcher, startMailCatcher } from '../../scripts/mail-catcher';
import {
  recordUnfit,
  registryRecord,
  seedMeters,
  submission,
  uniqueAccount,
  uniqueSerial,
} from '../support/factories';
import { eventually, testDatabase, testKafka } from '../support/infra';
import { startProcessor } from '../support/processor';
import {
  lastCode,
  MINUTE,
  type Resident,
  seedCharges,
  signUp,
  startCabinet,
  TestClock,
  TODAY,
} from './cabinet-support';

interface HistoryReading {
  submissionId: string;
  meterSerial: string;
  channel: string;
  status: string;
  statusText: string;
  reasons: { code: string; text: string }[];
  warnings: { code: string; text: string }[];
  readAt: string;
  [field: string]: unknown;
}

describe('cabinet-api: meters, readings and their outcomes through Kafka and the processor', () => {
  const clock = new TestClock();
  let mail: MailCatcher;
  let db: DataSource;
  let app: INestApplication;
  let processor: INestApplication;
  let producer: Producer;
  let resident: Resident;
  let accountNumber: string;
  const serial = {
    cold: uniqueSerial('C'),
    electricity: uniqueSerial('E'),
    hot: uniqueSerial('H'),
    gas: uniqueSerial('G'),
    removed: uniqueSerial('R'),
    unfit: uniqueSerial('U'),
  };
  const http = () => request(app.getHttpServer());

  const history = (period?: string) =>
    http()
      .get(`/v1/cabinet/accounts/${accountNumber}/readings${period ? `?period=${period}` : ''}`)
      .set(resident.auth);

  /** The history once every one of `ids` has its outcome. */
  const decided = async (ids: string[], period = '2026-11'): Promise<HistoryReading[]> => {
    const body = await eventually(
      async () => (await history(period).expect(200)).body as { readings: HistoryReading[] },
      (b) => ids.every((id) => b.readings.some((r) => r.submissionId === id)),
    );
    return ids.map((id) => body.readings.find((r) => r.submissionId === id) as HistoryReading);
  };

  const submit = (readings: unknown[], key?: string) => {
    const req = http().post(`/v1/cabinet/accounts/${accountNumber}/readings`).set(resident.auth);
    if (key) req.set('Idempotency-Key', key);
    return req.send({ readings });
  };

  beforeAll(async () => {
    mail = await startMailCatcher();
    db = await testDatabase();
    producer = testKafka().producer({ idempotent: true });
    await producer.connect();
    processor = await startProcessor();
    // Sessions outlive the days this suite moves the clock by.
    app = await startCabinet(clock, mail.url, {
      CABINET_SESSION_TTL_SECONDS: String(30 * 24 * 3600),
    });
    accountNumber = uniqueAccount();
    await seedMeters(db, [
      registryRecord({
        account_number: accountNumber,
        serial: serial.cold,
        verified_on: '2024-01-10',
      }),
      registryRecord({
        account_number: accountNumber,
        serial: serial.electricity,
        resource: 'electricity',
        zones: '2',
        integer_digits: '6',
        fraction_digits: '1',
        verified_on: '2018-06-10',
        verification_interval_months: '192',
        initial_t1: '004512.3',
        initial_t2: '001877.0',
      }),
      // Hot water verified four years before 2024-01-01: expired on the day the resident looks.
      registryRecord({
        account_number: accountNumber,
        serial: serial.hot,
        resource: 'hot_water',
        verified_on: '2020-01-01',
        verification_interval_months: '48',
      }),
      // Gas whose verification runs out within 30 days.
      registryRecord({
        account_number: accountNumber,
        serial: serial.gas,
        resource: 'gas',
        verified_on: '2016-12-10',
        verification_interval_months: '120',
      }),
      registryRecord({
        account_number: accountNumber,
        serial: serial.removed,
        decommissioned_on: '2026-06-01',
      }),
      registryRecord({
        account_number: accountNumber,
        serial: serial.unfit,
        verified_on: '2024-01-10',
      }),
    ]);
    await recordUnfit(db, serial.unfit, '2026-11-02');
    await seedCharges(db, [{ accountNumber, period: '2026-09', amountCharged: '3120.44' }]);
    resident = await signUp(app, mail, {
      accountNumber,
      period: '2026-09',
      amountCharged: '3120.44',
    });
  });

  afterAll(async () => {
    await app?.close();
    await processor?.close();
    await producer?.disconnect();
    await mail?.close();
    await db?.destroy();
  });

  beforeEach(() => clock.set(TODAY));

  it('shows meters with verification status and due date, last accepted values and the window', async () => {
    const res = await http()
      .get(`/v1/cabinet/accounts/${accountNumber}/meters`)
      .set(resident.auth)
      .expect(200);
    expect(res.body.accountNumber).toBe(accountNumber);
    expect(res.body.today).toBe('2026-11-20');
    const bySerial = Object.fromEntries(
      res.body.meters.map((m: { serial: string }) => [m.serial, m]),
    );
    expect(bySerial[serial.cold]).toEqual({
      serial: serial.cold,
      resource: 'cold_water',
      resourceName: 'Холодная вода',
      zones: ['T1'],
      integerDigits: 5,
      fractionDigits: 3,
      verification: { status: 'valid', dueOn: '2030-01-10', notice: null },
      acceptsReadings: true,
      lastAccepted: {
        readAt: '2026-10-20T00:00:00.000+03:00',
        billingPeriod: null,
        values: [{ zone: 'T1', value: '100.000' }],
      },
      window: {
        open: true,
        opensOn: '2026-11-15',
        closesOn: '2026-11-25',
        billingPeriod: '2026-11',
      },
      reminders: [],
    });
    expect(bySerial[serial.electricity]).toMatchObject({
      resourceName: 'Электроэнергия',
      zones: ['T1', 'T2'],
      verification: { status: 'valid', dueOn: '2034-06-10', notice: null },
      lastAccepted: {
        values: [
          { zone: 'T1', value: '4512.3' },
          { zone: 'T2', value: '1877.0' },
        ],
      },
      window: {
        open: true,
        opensOn: '2026-11-15',
        closesOn: '2026-11-26',
        billingPeriod: '2026-11',
      },
    });
    expect(bySerial[serial.gas]).toMatchObject({
      verification: {
        status: 'due_soon',
        dueOn: '2026-12-10',
        notice:
          'Срок поверки счётчика истекает 10.12.2026. Закажите поверку заранее: после этой даты показания не будут приниматься.',
      },
      acceptsReadings: true,
    });
    expect(bySerial[serial.removed]).toMatchObject({
      verification: {
        status: 'decommissioned',
        notice: 'Счётчик выведен из эксплуатации 01.06.2026, показания по нему не принимаются.',
      },
      acceptsReadings: false,
    });

    clock.set('2026-11-26T12:00:00+03:00');
    const late = await http()
      .get(`/v1/cabinet/accounts/${accountNumber}/meters`)
      .set(resident.auth)
      .expect(200);
    const cold = late.body.meters.find((m: { serial: string }) => m.serial === serial.cold);
    expect(cold.window).toEqual({
      open: false,
      opensOn: '2026-12-15',
      closesOn: '2026-12-25',
      billingPeriod: '2026-12',
    });
  });

  it('shows an expired-verification meter plainly and rejects its reading with the explanation', async () => {
    const meters = await http()
      .get(`/v1/cabinet/accounts/${accountNumber}/meters`)
      .set(resident.auth)
      .expect(200);
    const hot = meters.body.meters.find((m: { serial: string }) => m.serial === serial.hot);
    expect(hot).toMatchObject({
      resourceName: 'Горячая вода',
      verification: {
        status: 'expired',
        dueOn: '2024-01-01',
        notice:
          'Срок поверки счётчика истёк 01.01.2024. Показания этого счётчика не будут приняты, пока он не будет поверен. ' +
          'До поверки начисления рассчитываются по среднему потреблению, затем по нормативу с повышающим коэффициентом.',
      },
      acceptsReadings: false,
    });

    const queued = await submit([
      { meterSerial: serial.hot, values: [{ zone: 'T1', value: '00120' }] },
    ]).expect(202);
    const [reading] = await decided([queued.body.readings[0].submissionId]);
    expect(reading).toMatchObject({
      meterSerial: serial.hot,
      channel: 'cabinet',
      status: 'rejected',
      statusText: 'Показания не приняты.',
      reasons: [{ code: 'VERIFICATION_EXPIRED', text: REASON_TEXTS_RU.VERIFICATION_EXPIRED }],
      warnings: [],
    });
    expect(reading.reasons[0].text).toContain('не принимаются, пока счётчик не будет поверен');
  });

  it('shows a meter found unfit as unfit, with the contract status expired', async () => {
    const meters = await http()
      .get(`/v1/cabinet/accounts/${accountNumber}/meters`)
      .set(resident.auth)
      .expect(200);
    const unfit = meters.body.meters.find((m: { serial: string }) => m.serial === serial.unfit);
    expect(unfit).toMatchObject({
      verification: {
        status: 'expired',
        dueOn: '2026-11-01',
        unfitSince: '2026-11-02',
        notice:
          'Счётчик непригоден: поверка 02.11.2026 признала его непригодным к применению. ' +
          'Показания этого счётчика не принимаются, пока он не будет заменён или отремонтирован и поверен. ' +
          'До этого начисления рассчитываются по среднему потреблению, затем по нормативу с повышающим коэффициентом.',
      },
      acceptsReadings: false,
    });
    const cold = meters.body.meters.find((m: { serial: string }) => m.serial === serial.cold);
    expect(cold.verification).not.toHaveProperty('unfitSince');
  });

  it('submits all meters at once and shows every outcome in the history', async () => {
    const readings = [
      { meterSerial: serial.cold, values: [{ zone: 'T1', value: '00110,500' }] },
      {
        meterSerial: serial.electricity,
        values: [
          { zone: 'T1', value: '004600.0' },
          { zone: 'T2', value: '1900' },
        ],
      },
      { meterSerial: serial.hot, values: [{ zone: 'T1', value: '00121.000' }] },
      { meterSerial: serial.gas, values: [{ zone: 'T1', value: '00140.000' }] },
      { meterSerial: serial.removed, values: [{ zone: 'T1', value: '00150.000' }] },
    ];
    const res = await submit(readings, 'form-7f3a').expect(202);
    const [{ id: residentId }] = await db.query('SELECT id FROM residents WHERE email = $1', [
      resident.email,
    ]);
    expect(res.body).toEqual({
      accountNumber,
      readings: readings.map((r) => ({
        meterSerial: r.meterSerial,
        submissionId: submissionId({
          channel: 'cabinet',
          sourceId: residentId,
          sourceRef: `form-7f3a/${r.meterSerial}`,
          meterSerial: r.meterSerial,
        }),
        status: 'queued',
      })),
    });

    const ids = res.body.readings.map((r: { submissionId: string }) => r.submissionId);
    const [cold, electricity, hot, gas, removed] = await decided(ids);
    expect(cold).toMatchObject({
      status: 'accepted',
      statusText: 'Показания приняты.',
      reasons: [],
      warnings: [],
      values: [{ zone: 'T1', value: '00110.500' }],
      consumption: [{ zone: 'T1', value: '10.500' }],
      billingPeriod: '2026-11',
      readAt: '2026-11-20T10:00:00.000+03:00',
      resource: 'cold_water',
      resourceName: 'Холодная вода',
    });
    expect(electricity).toMatchObject({
      status: 'accepted',
      consumption: [
        { zone: 'T1', value: '87.7' },
        { zone: 'T2', value: '23.0' },
      ],
    });
    expect(hot).toMatchObject({ status: 'rejected', reasons: [{ code: 'VERIFICATION_EXPIRED' }] });
    expect(gas).toMatchObject({
      status: 'accepted',
      warnings: [{ code: 'VERIFICATION_DUE_SOON', text: WARNING_TEXTS_RU.VERIFICATION_DUE_SOON }],
    });
    expect(removed).toMatchObject({
      status: 'rejected',
      reasons: [{ code: 'METER_DECOMMISSIONED', text: REASON_TEXTS_RU.METER_DECOMMISSIONED }],
    });

    // The meters page now shows the accepted values.
    const meters = await http()
      .get(`/v1/cabinet/accounts/${accountNumber}/meters`)
      .set(resident.auth)
      .expect(200);
    expect(
      meters.body.meters.find((m: { serial: string }) => m.serial === serial.cold).lastAccepted,
    ).toEqual({
      readAt: '2026-11-20T10:00:00.000+03:00',
      billingPeriod: '2026-11',
      values: [{ zone: 'T1', value: '110.500' }],
    });

    // A retry with the same key carries the same ids and stores nothing twice.
    clock.advance(MINUTE);
    const retry = await submit(readings, 'form-7f3a').expect(202);
    expect(retry.body).toEqual(res.body);
    // Same values again under a new key: a new submission, decided as a duplicate.
    const again = await submit([readings[0]]).expect(202);
    const [duplicate] = await decided([again.body.readings[0].submissionId]);
    expect(duplicate).toMatchObject({
      status: 'duplicate',
      statusText:
        'Такие же показания уже приняты в этом расчётном периоде, повторно они не учитываются.',
    });
    const stored = await db.query(
      'SELECT submission_id, read_at FROM readings WHERE submission_id = ANY($1::uuid[])',
      [ids],
    );
    expect(stored).toHaveLength(ids.length);
    expect(
      stored.every(
        (r: { read_at: Date }) => r.read_at.toISOString() === '2026-11-20T07:00:00.000Z',
      ),
    ).toBe(true);
  });

  it('answers a key repeated with the same readings as its first request, refuses it with others, and stores only the first', async () => {
    const account = uniqueAccount();
    const [cold, hot] = [uniqueSerial('C'), uniqueSerial('H')];
    await seedMeters(db, [
      registryRecord({ account_number: account, serial: cold, verified_on: '2024-01-10' }),
      registryRecord({ account_number: account, serial: hot, verified_on: '2024-01-10' }),
    ]);
    await seedCharges(db, [{ accountNumber: account, period: '2026-09', amountCharged: '812.00' }]);
    const owner = await signUp(app, mail, {
      accountNumber: account,
      period: '2026-09',
      amountCharged: '812.00',
    });
    // The resident signs in on a second device too.
    clock.advance(2 * MINUTE);
    await http().post('/v1/cabinet/sessions').send({ email: owner.email }).expect(202);
    const signedIn = await http()
      .post('/v1/cabinet/sessions/confirm')
      .send({ email: owner.email, code: lastCode(mail, owner.email) })
      .expect(200);
    const devices = [owner.auth, { Authorization: `Bearer ${signedIn.body.token}` }];
    const post = (readings: unknown[], key?: string, device = 0) => {
      const req = http().post(`/v1/cabinet/accounts/${account}/readings`).set(devices[device]);
      return (key ? req.set('Idempotency-Key', key) : req).send({ readings });
    };
    const value = (meterSerial: string, v: string) => ({
      meterSerial,
      values: [{ zone: 'T1', value: v }],
    });
    const storedUnder = (key: string) =>
      db.query(
        `SELECT meter_serial AS serial, t1::text FROM readings
          WHERE account_number = $1 AND source_ref LIKE $2 ORDER BY serial`,
        [account, `${key}/%`],
      );
    /** Waits until the processor is past everything queued so far: the account is one partition. */
    const settled = async () => {
      const marker = await post([value(cold, '1')]).expect(202);
      await eventually(
        async () =>
          db.query('SELECT 1 FROM readings WHERE submission_id = $1', [
            marker.body.readings[0].submissionId,
          ]),
        (rows) => rows.length === 1,
      );
    };

    // A key repeated, one request after the other: with the same readings, then with others.
    const first = await post([value(cold, '21')], 'form-once').expect(202);
    const again = await post([value(cold, '21')], 'form-once', 1).expect(202);
    expect(again.body).toEqual(first.body);
    const reused = await post([value(cold, '22'), value(hot, '23')], 'form-once').expect(422);
    expect(reused.body).toMatchObject({ error: 'IDEMPOTENCY_KEY_REUSED' });
    // The same key sent with three different forms at once, and the first of them once more,
    // from two of the resident's sessions.
    const forms = [[value(cold, '31')], [value(cold, '32'), value(hot, '33')], [value(hot, '34')]];
    const racing = await Promise.all(
      [...forms, forms[0]].map((readings, i) => post(readings, 'form-race', i % 2)),
    );
    await settled();
    expect(await storedUnder('form-once')).toEqual([{ serial: cold, t1: '21.000000' }]);
    const won = racing.filter((r) => r.status === 202);
    const winner = forms.find(
      (readings) =>
        readings.map((r) => r.meterSerial).join() ===
        won[0].body.readings.map((r: { meterSerial: string }) => r.meterSerial).join(),
    ) as { meterSerial: string; values: { value: string }[] }[];
    // Every request with the winner's readings has its answer; every other one is refused.
    const winners = winner === forms[0] ? 2 : 1;
    expect(won.map((r) => r.body)).toEqual(Array(winners).fill(won[0].body));
    expect(racing.filter((r) => r.status === 422)).toHaveLength(4 - winners);
    expect(await storedUnder('form-race')).toEqual(
      winner
        .map((r) => ({ serial: r.meterSerial, t1: `${r.values[0].value}.000000` }))
        .sort((a, b) => a.serial.localeCompare(b.serial)),
    );

    // The keys answer for a week: then the retention sweep forgets them.
    const keys = () =>
      db.query(
        `SELECT idempotency_key AS key FROM cabinet_submission_keys WHERE account_number = $1`,
        [account],
      );
    clock.advance(6 * 24 * 60 * MINUTE);
    await app.get(CabinetRetention).sweep();
    expect((await keys()).length).toBeGreaterThanOrEqual(2);
    clock.advance(2 * 24 * 60 * MINUTE);
    expect((await app.get(CabinetRetention).sweep()).submissionKeys).toBeGreaterThanOrEqual(2);
    expect(await keys()).toEqual([]);
  });

  it('shows readings from other channels, defaulting to this month', async () => {
    const kiosk: SubmissionMessage = submission({
      accountNumber,
      meterSerial: 'NO-SUCH-METER-CAB',
      readAt: '2026-11-19T18:00:00+03:00',
      receivedAt: '2026-11-19T18:00:02.000+03:00',
    });
    await producer.send({
      topic: TOPICS.submitted,
      acks: -1,
      messages: [{ key: kiosk.accountNumber, value: JSON.stringify(kiosk) }],
    });
    const body = await eventually(
      async () =>
        (await history().expect(200)).body as { period: string; readings: HistoryReading[] },
      (b) => b.readings.some((r) => r.submissionId === kiosk.submissionId),
    );
    expect(body.period).toBe('2026-11');
    expect(body.readings.find((r) => r.submissionId === kiosk.submissionId)).toMatchObject({
      channel: 'kiosk',
      status: 'rejected',
      billingPeriod: null,
      resource: null,
      resourceName: null,
      reasons: [{ code: 'UNKNOWN_METER', text: REASON_TEXTS_RU.UNKNOWN_METER }],
    });
    const readAts = body.readings.map((r) => r.readAt);
    expect(readAts).toEqual([...readAts].sort().reverse());
    expect((await history('2026-10').expect(200)).body).toEqual({
      accountNumber,
      period: '2026-10',
      readings: [],
    });
    await history('2026-13').expect(400, {
      statusCode: 400,
      message: ['period must be a month YYYY-MM'],
      error: 'Bad Request',
    });
  });

  it('refuses meters of another account and malformed readings before queueing anything', async () => {
    const foreign = uniqueSerial('F');
    await seedMeters(db, [registryRecord({ serial: foreign })]);
    await submit([
      { meterSerial: serial.cold, values: [{ zone: 'T1', value: '00111' }] },
      { meterSerial: foreign, values: [{ zone: 'T1', value: '00111' }] },
    ]).expect(422, {
      statusCode: 422,
      error: 'METER_NOT_ON_ACCOUNT',
      message: `not a meter of account ${accountNumber}: ${foreign}`,
    });

    const cases: [unknown, string][] = [
      [[], 'readings must name at least one meter'],
      [[{ meterSerial: serial.cold, values: [] }], 'readings.0.values must have 1 to 3 entries'],
      [
        [{ meterSerial: serial.cold, values: [{ zone: 'T4', value: '1' }] }],
        'readings.0.values.0.zone must be T1, T2 or T3',
      ],
      [
        [{ meterSerial: serial.cold, values: [{ zone: 'T1', value: '-1' }] }],
        'readings.0.values.0.value must be a non-negative decimal such as "00123.456"',
      ],
      [
        [
          {
            meterSerial: serial.cold,
            values: [
              { zone: 'T1', value: '1' },
              { zone: 'T1', value: '2' },
            ],
          },
        ],
        'readings.0.values must have distinct zones',
      ],
      [
        [
          { meterSerial: serial.cold, values: [{ zone: 'T1', value: '1' }] },
          { meterSerial: serial.cold, values: [{ zone: 'T1', value: '2' }] },
        ],
        'readings must name each meter once',
      ],
      [
        [{ meterSerial: ' ', values: [{ zone: 'T1', value: '1' }] }],
        'readings.0.meterSerial must be 1 to 32 printable characters',
      ],
      // Arrays where objects belong: validation must not walk into them (an inner array was a
      // 500 for values and a METER_NOT_ON_ACCOUNT naming no meter for readings).
      [
        [{ meterSerial: serial.cold, values: [[{ zone: 'T1', value: '1' }]] }],
        'readings.0.each entry of values must be an object {zone, value}',
      ],
      [
        [[{ meterSerial: serial.cold, values: [{ zone: 'T1', value: '1' }] }]],
        'each entry of readings must be an object {meterSerial, values}',
      ],
    ];
    for (const [readings, message] of cases) {
      const res = await submit(readings as unknown[]);
      expect({ readings, status: res.status, message: res.body.message }).toEqual({
        readings,
        status: 400,
        message: expect.arrayContaining([message]),
      });
    }
    await submit(
      [{ meterSerial: serial.cold, values: [{ zone: 'T1', value: '1' }] }],
      'x'.repeat(65),
    ).expect(400, {
      statusCode: 400,
      message: 'Idempotency-Key must be 1 to 64 printable characters',
      error: 'Bad Request',
    });
    const queuedForForeign = await db.query(
      "SELECT count(*)::int AS n FROM readings WHERE meter_serial = $1 AND channel = 'cabinet'",
      [foreign],
    );
    expect(queuedForForeign).toEqual([{ n: 0 }]);
  });
});
