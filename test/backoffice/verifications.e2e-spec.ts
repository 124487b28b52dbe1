import { formatDate, moscowDate } from '@gw/domain';
import {
  recordUnfit,
  registryRecord,
  seedMeters,
  submission,
  uniqueAccount,
} from '../support/factories';
import { bearer, ReviewStack } from './review-harness';

describe('backoffice verifications and revalidation through real Kafka, processor and PostgreSQL', () => {
  let stack: ReviewStack;
  let supervisor: { login: string; token: string };

  const post = (path: string, body: object = {}, token = supervisor.token) =>
    stack.http().post(path).set(bearer(token)).send(body);
  const get = (path: string) => stack.http().get(path).set(bearer(supervisor.token));

  beforeAll(async () => {
    stack = await ReviewStack.start();
    supervisor = await stack.operator('supervisor');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** A meter whose verification ran out on 2025-01-10, with three readings rejected for it. */
  async function expiredMeter() {
    const [meter] = await seedMeters(stack.db, [
      registryRecord({
        installed_on: '2019-01-10',
        verified_on: '2019-01-10',
        verification_interval_months: '72',
      }),
    ]);
    const on = { accountNumber: meter.accountNumber, meterSerial: meter.serial };
    const at = (day: string) => ({
      readAt: `2026-${day}T10:00:00+03:00`,
      receivedAt: `2026-${day}T10:00:05.000+03:00`,
    });
    const readings = {
      beforeVerification: submission({
        ...on,
        ...at('10-25'),
        values: [{ zone: 'T1', value: '00102.000' }],
      }),
      first: submission({ ...on, ...at('11-10'), values: [{ zone: 'T1', value: '00105.000' }] }),
      second: submission({ ...on, ...at('11-20'), values: [{ zone: 'T1', value: '00108.000' }] }),
    };
    await stack.publish(Object.values(readings));
    const statuses = await stack.decided(Object.values(readings).map((r) => r.submissionId));
    expect([...statuses.values()]).toEqual(['rejected', 'rejected', 'rejected']);
    return { meter, readings };
  }

  it('records a verification as the meter’s current one and counts the readings it can revive', async () => {
    const { meter } = await expiredMeter();
    const path = `/v1/meters/${meter.serial}/verifications`;
    const body = {
      verifiedOn: '2026-11-01',
      intervalMonths: 72,
      certificateNo: 'С-ВЯ/01-11-2026/1',
    };
    const created = await post(path, body).expect(201);
    expect(created.body).toEqual({
      serial: meter.serial,
      verifiedOn: '2026-11-01',
      intervalMonths: 72,
      dueOn: '2032-11-01',
      certificateNo: 'С-ВЯ/01-11-2026/1',
      recordedBy: supervisor.login,
      recordedAt: expect.stringMatching(/\+03:00$/),
      revalidatable: 2,
    });
    const meters = await get(`/v1/accounts/${meter.accountNumber}/meters`).expect(200);
    expect(meters.body.meters[0]).toMatchObject({
      verifiedOn: '2026-11-01',
      verificationDueOn: '2032-11-01',
      verificationStatus: 'valid',
    });
    // The same verification again changes nothing.
    const replay = await post(path, body).expect(200);
    expect(replay.body).toEqual({ ...created.body, revalidatable: 2 });
    // Blanks around the number are not part of it, as in the web form: the same certificate.
    const padded = await post(path, { ...body, certificateNo: ` ${body.certificateNo}\t` });
    expect({ status: padded.status, body: padded.body }).toEqual({
      status: 200,
      body: { ...created.body, revalidatable: 2 },
    });
    const [{ n }] = await stack.db.query(
      `SELECT count(*)::int AS n FROM meter_verifications WHERE serial = $1 AND verified_on = '2026-11-01'`,
      [meter.serial],
    );
    expect(n).toBe(1);

    const today = formatDate(moscowDate(new Date()));
    const refused: [object, number, string, string][] = [
      [
        { ...body, certificateNo: 'other' },
        409,
        'VERIFICATION_CONFLICT',
        `a verification of ${meter.serial} on 2026-11-01 is on file with other details`,
      ],
      [
        { ...body, verifiedOn: '2026-10-01' },
        409,
        'VERIFICATION_CONFLICT',
        'the meter already has a verification on 2026-11-01; a new one must be later',
      ],
      [
        { ...body, verifiedOn: '2099-01-01' },
        422,
        'INVALID_VERIFICATION',
        'verifiedOn 2099-01-01 is in the future',
      ],
    ];
    for (const [request, status, error, message] of refused) {
      const res = await post(path, request);
      expect({
        request,
        status: res.status,
        error: res.body.error,
        message: res.body.message,
      }).toEqual({
        request,
        status,
        error,
        message,
      });
    }
    expect(today >= '2026-11-01').toBe(true);
  });

  it('judges a reading by the verification in force when it was taken, whether it arrives before or after a newer one is recorded', async () => {
    const { meter, readings } = await expiredMeter();
    await post(`/v1/meters/${meter.serial}/verifications`, {
      verifiedOn: '2026-11-01',
      intervalMonths: 72,
      certificateNo: 'C-3',
    }).expect(201);
    const on = { accountNumber: meter.accountNumber, meterSerial: meter.serial };
    const late = {
      inLapse: submission({
        ...on,
        readAt: '2026-10-28T10:00:00+03:00',
        receivedAt: '2026-11-02T10:00:05.000+03:00',
        values: [{ zone: 'T1', value: '00103.000' }],
      }),
      afterVerification: submission({
        ...on,
        readAt: '2026-11-02T10:00:00+03:00',
        receivedAt: '2026-11-02T10:00:06.000+03:00',
        values: [{ zone: 'T1', value: '00104.000' }],
      }),
    };
    await stack.publish(Object.values(late));
    await stack.decided(Object.values(late).map((r) => r.submissionId));
    const verdict = async (submissionId: string) => {
      const { status, reasons } = (await get(`/v1/submissions/${submissionId}`).expect(200)).body;
      return { status, reasons };
    };
    // Read on 25 October, in the lapse, and decided before the new verification was recorded.
    expect(await verdict(readings.beforeVerification.submissionId)).toEqual({
      status: 'rejected',
      reasons: ['VERIFICATION_EXPIRED'],
    });
    // Read on 28 October, in the same lapse, and decided after it was recorded: the same verdict.
    expect(await verdict(late.inLapse.submissionId)).toEqual({
      status: 'rejected',
      reasons: ['VERIFICATION_EXPIRED'],
    });
    expect(await verdict(late.afterVerification.submissionId)).toEqual({
      status: 'accepted',
      reasons: [],
    });
  });

  it('keeps a verification recorded in the back office when a registry import carries an older one', async () => {
    const record = registryRecord({
      installed_on: '2019-01-10',
      verified_on: '2019-01-10',
      verification_interval_months: '72',
    });
    const [meter] = await seedMeters(stack.db, [record]);
    await post(`/v1/meters/${meter.serial}/verifications`, {
      verifiedOn: '2026-11-01',
      intervalMonths: 96,
      certificateNo: 'С-ВЯ/01-11-2026/2',
    }).expect(201);
    const current = async () =>
      (await get(`/v1/accounts/${meter.accountNumber}/meters`).expect(200)).body.meters[0];

    // A registry exported before the verification was recorded: the meter keeps the newer one,
    // and its other columns still follow the registry.
    await seedMeters(stack.db, [{ ...record, initial_t1: '00101.000' }]);
    expect(await current()).toMatchObject({
      verifiedOn: '2026-11-01',
      verificationDueOn: '2034-11-01',
      verificationStatus: 'valid',
    });
    const [{ initial }] = await stack.db.query(
      'SELECT initial_t1::text AS initial FROM meters WHERE serial = $1',
      [meter.serial],
    );
    expect(Number(initial)).toBe(101);

    // A later verification in the registry replaces it, and the registry may correct its own date.
    await seedMeters(stack.db, [{ ...record, verified_on: '2026-11-15' }]);
    expect(await current()).toMatchObject({
      verifiedOn: '2026-11-15',
      verificationDueOn: '2032-11-15',
    });
    await seedMeters(stack.db, [{ ...record, verified_on: '2026-11-12' }]);
    expect(await current()).toMatchObject({
      verifiedOn: '2026-11-12',
      verificationDueOn: '2032-11-12',
    });
  });

  it('refuses a verification before installation, and answers 404 for an unknown meter and 400 for a bad body', async () => {
    const [meter] = await seedMeters(stack.db, [registryRecord({ installed_on: '2024-01-10' })]);
    const before = await post(`/v1/meters/${meter.serial}/verifications`, {
      verifiedOn: '2023-12-31',
      intervalMonths: 72,
      certificateNo: 'C-1',
    }).expect(422);
    expect(before.body.message).toBe(
      'verifiedOn 2023-12-31 is before the meter was installed on 2024-01-10',
    );
    await post('/v1/meters/NO-SUCH-METER/verifications', {
      verifiedOn: '2026-11-01',
      intervalMonths: 72,
      certificateNo: 'C-1',
    }).expect(404);
    await post('/v1/meters/NO-SUCH-METER/revalidate').expect(404);
    const CERTIFICATE =
      'certificateNo must be 1 to 64 characters, blanks at either end not counted';
    const blank = await post(`/v1/meters/${meter.serial}/verifications`, {
      verifiedOn: '2026-11-01',
      intervalMonths: 72,
      certificateNo: '   ',
    });
    expect({ status: blank.status, message: blank.body.message }).toEqual({
      status: 400,
      message: [CERTIFICATE],
    });
    const bad = await post(`/v1/meters/${meter.serial}/verifications`, {
      verifiedOn: '01.11.2026',
      intervalMonths: 0,
    }).expect(400);
    expect(bad.body.message).toEqual(
      expect.arrayContaining([
        'verifiedOn must be a date YYYY-MM-DD',
        'intervalMonths must be 1 to 240',
        CERTIFICATE,
      ]),
    );
    // The registry import's limit (libs/domain), so a meter it imports can be verified again.
    const long = await post(`/v1/meters/${meter.serial}/verifications`, {
      verifiedOn: '2026-11-01',
      intervalMonths: 241,
      certificateNo: 'C-1',
    }).expect(400);
    expect(long.body.message).toEqual(['intervalMonths must be 1 to 240']);
  });

  it('on request, decides again the readings rejected only for the expired verification, oldest first, with new outcomes', async () => {
    const { meter, readings } = await expiredMeter();
    await post(`/v1/meters/${meter.serial}/verifications`, {
      verifiedOn: '2026-11-01',
      intervalMonths: 72,
      certificateNo: 'C-2',
    }).expect(201);
    const res = await post(`/v1/meters/${meter.serial}/revalidate`).expect(200);
    const outcome = (submissionId: string, consumption: string) => ({
      before: { status: 'rejected', reasons: ['VERIFICATION_EXPIRED'] },
      submissionId,
      outcome: expect.objectContaining({
        submissionId,
        status: 'accepted',
        reasons: [],
        billingPeriod: '2026-11',
        consumption: [{ zone: 'T1', value: consumption }],
      }),
    });
    expect(res.body).toEqual({
      serial: meter.serial,
      revalidated: [
        outcome(readings.first.submissionId, '5.000'),
        outcome(readings.second.submissionId, '3.000'),
      ],
      unchanged: 0,
      outcomesPublished: true,
    });
    for (const r of [readings.first, readings.second]) {
      const published = await stack.outcomesOf(r.submissionId, 2);
      expect(published.map((o) => [o.status, o.reasons])).toEqual([
        ['rejected', ['VERIFICATION_EXPIRED']],
        ['accepted', []],
      ]);
      expect((await get(`/v1/submissions/${r.submissionId}`).expect(200)).body.status).toBe(
        'accepted',
      );
    }
    // Read before the new verification: it stays rejected.
    const early = await get(`/v1/submissions/${readings.beforeVerification.submissionId}`).expect(
      200,
    );
    expect(early.body).toMatchObject({ status: 'rejected', reasons: ['VERIFICATION_EXPIRED'] });
    const meters = await get(`/v1/accounts/${meter.accountNumber}/meters`).expect(200);
    expect(meters.body.meters[0].lastAccepted.values).toEqual([{ zone: 'T1', value: '108.000' }]);
    // Nothing is left to revive.
    const again = await post(`/v1/meters/${meter.serial}/revalidate`).expect(200);
    expect(again.body).toEqual({
      serial: meter.serial,
      revalidated: [],
      unchanged: 0,
      outcomesPublished: true,
    });
    const [audit] = await stack.db.query(
      `SELECT operator_login, before, after FROM audit_log WHERE action = 'meter.revalidate' AND subject = $1 ORDER BY id LIMIT 1`,
      [`meter:${meter.serial}`],
    );
    expect(audit).toMatchObject({
      operator_login: supervisor.login,
      before: {
        verifiedOn: '2026-11-01',
        readings: [{ status: 'rejected' }, { status: 'rejected' }],
      },
      after: { readings: [{ status: 'accepted' }, { status: 'accepted' }] },
    });
  });

  it('revives a reading in a lapse that a record older than the current verification turns out to cover', async () => {
    const { meter, readings } = await expiredMeter();
    const path = `/v1/meters/${meter.serial}/verifications`;
    const current = { verifiedOn: '2026-11-15', intervalMonths: 72, certificateNo: 'C-15' };
    const recorded = await post(path, current).expect(201);
    // Only the reading of 2026-11-20 falls under the new verification so far.
    expect(recorded.body.revalidatable).toBe(1);
    // A record of 2026-11-05 arrives later (as from Arshin): older than the meter's current one,
    // it stays in the history only, and covers the reading of 2026-11-10.
    await stack.db.query(
      `INSERT INTO meter_verifications (serial, verified_on, interval_months, due_on, recorded_by, source, vri_id)
       VALUES ($1, '2026-11-05', 72, '2032-11-05', 'arshin', 'arshin', '1-100500')`,
      [meter.serial],
    );
    expect((await post(path, current).expect(200)).body.revalidatable).toBe(2);
    const res = await post(`/v1/meters/${meter.serial}/revalidate`).expect(200);
    expect(
      res.body.revalidated.map((r: { submissionId: string; outcome: { status: string } }) => [
        r.submissionId,
        r.outcome.status,
      ]),
    ).toEqual([
      [readings.first.submissionId, 'accepted'],
      [readings.second.submissionId, 'accepted'],
    ]);
    expect(res.body.unchanged).toBe(0);
    const early = await get(`/v1/submissions/${readings.beforeVerification.submissionId}`);
    expect(early.body).toMatchObject({ status: 'rejected', reasons: ['VERIFICATION_EXPIRED'] });
  });

  it('revives a reading rejected VERIFICATION_FAILED that a verification after the finding covers', async () => {
    const [meter] = await seedMeters(stack.db, [registryRecord()]);
    // Arshin finds the meter unfit on 2026-11-05; it is repaired and verified again on 2026-11-15.
    await recordUnfit(stack.db, meter.serial, '2026-11-05');
    const reading = (day: string, value: string) =>
      submission({
        accountNumber: meter.accountNumber,
        meterSerial: meter.serial,
        values: [{ zone: 'T1', value }],
        readAt: `2026-11-${day}T10:00:00+03:00`,
        receivedAt: `2026-11-${day}T10:00:05.000+03:00`,
      });
    const inFinding = reading('10', '00104.000');
    const repaired = reading('20', '00106.000');
    await stack.publish([inFinding, repaired]);
    await stack.decided([inFinding.submissionId, repaired.submissionId]);
    for (const r of [inFinding, repaired])
      expect((await get(`/v1/submissions/${r.submissionId}`).expect(200)).body).toMatchObject({
        status: 'rejected',
        reasons: ['VERIFICATION_FAILED'],
      });

    const recorded = await post(`/v1/meters/${meter.serial}/verifications`, {
      verifiedOn: '2026-11-15',
      intervalMonths: 72,
      certificateNo: 'C-7',
    }).expect(201);
    expect(recorded.body.revalidatable).toBe(1);
    const res = await post(`/v1/meters/${meter.serial}/revalidate`).expect(200);
    expect(res.body.revalidated).toEqual([
      {
        submissionId: repaired.submissionId,
        before: { status: 'rejected', reasons: ['VERIFICATION_FAILED'] },
        outcome: expect.objectContaining({
          status: 'accepted',
          reasons: [],
          billingPeriod: '2026-11',
          consumption: [{ zone: 'T1', value: '6.000' }],
        }),
      },
    ]);
    // Read while the finding was in force: it stays rejected.
    const kept = await get(`/v1/submissions/${inFinding.submissionId}`).expect(200);
    expect(kept.body).toMatchObject({ status: 'rejected', reasons: ['VERIFICATION_FAILED'] });
  });

  it('sends a revived reading that now spikes to the review queue', async () => {
    const [meter] = await seedMeters(stack.db, [
      registryRecord({
        installed_on: '2019-01-10',
        verified_on: '2019-01-10',
        verification_interval_months: '72',
      }),
    ]);
    const on = { accountNumber: meter.accountNumber, meterSerial: meter.serial };
    const spike = submission({ ...on, values: [{ zone: 'T1', value: '00900.000' }] });
    await stack.publish([spike]);
    await stack.decided([spike.submissionId]);
    // Verified again on 2026-11-01 for one month only: 2026-11-20 is still covered (due 2026-12-01).
    await post(`/v1/meters/${meter.serial}/verifications`, {
      verifiedOn: '2026-11-01',
      intervalMonths: 1,
      certificateNo: 'C-3',
    }).expect(201);
    const res = await post(`/v1/meters/${meter.serial}/revalidate`).expect(200);
    expect(res.body.revalidated).toEqual([
      expect.objectContaining({
        submissionId: spike.submissionId,
        outcome: expect.objectContaining({
          status: 'needs_review',
          reasons: ['CONSUMPTION_SPIKE'],
        }),
      }),
    ]);
    const queue = await get('/v1/review?limit=500').expect(200);
    expect(queue.body.items.map((i: { submissionId: string }) => i.submissionId)).toContain(
      spike.submissionId,
    );
  });

  it('decides a revived slip reading on the confidence it came with, not a rounded one', async () => {
    const [meter] = await seedMeters(stack.db, [
      registryRecord({
        installed_on: '2019-01-10',
        verified_on: '2019-01-10',
        verification_interval_months: '72',
      }),
    ]);
    const slip = submission({
      accountNumber: meter.accountNumber,
      meterSerial: meter.serial,
      channel: 'paper-slip',
      values: [{ zone: 'T1', value: '00105.000' }],
      confidence: 0.8995,
    });
    await stack.publish([slip]);
    await stack.decided([slip.submissionId]);
    await post(`/v1/meters/${meter.serial}/verifications`, {
      verifiedOn: '2026-11-01',
      intervalMonths: 72,
      certificateNo: 'C-4',
    }).expect(201);
    const res = await post(`/v1/meters/${meter.serial}/revalidate`).expect(200);
    expect(res.body.revalidated).toEqual([
      expect.objectContaining({
        submissionId: slip.submissionId,
        outcome: expect.objectContaining({ status: 'needs_review', reasons: ['LOW_CONFIDENCE'] }),
      }),
    ]);
    const item = await get(`/v1/review/${slip.submissionId}`).expect(200);
    expect(item.body.confidence).toBe(0.8995);
  });

  it('revalidates only the readings of the account the meter is on now, when it has moved', async () => {
    const record = registryRecord({
      installed_on: '2019-01-10',
      verified_on: '2019-01-10',
      verification_interval_months: '72',
    });
    const [meter] = await seedMeters(stack.db, [record]);
    const reading = (accountNumber: string, day: string, value: string) =>
      submission({
        accountNumber,
        meterSerial: meter.serial,
        values: [{ zone: 'T1', value }],
        readAt: `2026-11-${day}T10:00:00+03:00`,
        receivedAt: `2026-11-${day}T10:00:05.000+03:00`,
      });
    const former = reading(meter.accountNumber, '10', '00105.000');
    await stack.publish([former]);
    await stack.decided([former.submissionId]);
    const moved = uniqueAccount();
    await seedMeters(stack.db, [{ ...record, account_number: moved }]);
    const current = reading(moved, '20', '00110.000');
    await stack.publish([current]);
    await stack.decided([current.submissionId]);

    const recorded = await post(`/v1/meters/${meter.serial}/verifications`, {
      verifiedOn: '2026-11-01',
      intervalMonths: 72,
      certificateNo: 'C-5',
    }).expect(201);
    expect(recorded.body.revalidatable).toBe(1);
    const res = await post(`/v1/meters/${meter.serial}/revalidate`).expect(200);
    expect(res.body.revalidated).toEqual([
      expect.objectContaining({
        submissionId: current.submissionId,
        outcome: expect.objectContaining({ status: 'accepted', accountNumber: moved }),
      }),
    ]);
    // The former account's reading was decided while the meter was its own: it stays as it was.
    const kept = await get(`/v1/submissions/${former.submissionId}`).expect(200);
    expect(kept.body).toMatchObject({ status: 'rejected', reasons: ['VERIFICATION_EXPIRED'] });
  });
});
