import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutcomeMessage, SubmissionMessage } from '@gw/contracts';
import { DAY_MS, REGISTRY_COLUMNS, type RegistryRecord } from '@gw/domain';
import { MeterVerificationRepository, TransactionRunner } from '@gw/persistence';
import { SYNC_JOB } from '@gw/runtime';
import { bearer, ReviewStack } from '../backoffice/review-harness';
import { ArshinStub, arshinItem, arshinResult } from '../support/arshin-stub';
import { runCtlIn } from '../support/ctl';
import { registryRecord, seedMeters, submission } from '../support/factories';
import { testGroup } from '../support/infra';

/** Polite but quick: the shortest interval the settings allow, short backoffs, two tries. */
const ARSHIN = {
  ARSHIN_MIN_INTERVAL_MS: '1000',
  ARSHIN_TIMEOUT_MS: '2000',
  ARSHIN_MAX_ATTEMPTS: '2',
  ARSHIN_BACKOFF_MS: '100',
  ARSHIN_CIRCUIT_FAILURES: '2',
  ARSHIN_CIRCUIT_OPEN_MS: '600000',
};

describe('Arshin verification sync through the stub, real Kafka, processor and PostgreSQL', () => {
  let stub: ArshinStub;
  let stack: ReviewStack;
  let operator: { login: string; token: string };

  beforeAll(async () => {
    stub = await ArshinStub.start();
    stack = await ReviewStack.start({ ARSHIN_URL: stub.url, ...ARSHIN });
    operator = await stack.operator('operator');
  });

  afterAll(async () => {
    await stack?.stop();
    await stub?.close();
  });

  /** An operator signed in to the web UI: session cookie and CSRF token. */
  const signIn = () => stack.webSession('operator');

  const ctlWith = (env: Record<string, string>, ...args: string[]) =>
    runCtlIn(
      {
        ...process.env,
        ARSHIN_URL: stub.url,
        ...ARSHIN,
        CTL_DECIDED_BY: testGroup('ctl'),
        ...env,
      },
      ...args,
    );
  const ctl = (...args: string[]) => ctlWith({}, ...args);
  const sync = (serial: string) => ctl('verifications', 'sync', '--serial', serial);

  /** A sync of the due meters that sees only `serials` (the database holds other suites' meters). */
  async function syncDueOf(serials: string[], env: Record<string, string> = {}) {
    const mine = new Set(serials);
    const dueForLookup = MeterVerificationRepository.prototype.dueForLookup;
    const narrowed = jest
      .spyOn(MeterVerificationRepository.prototype, 'dueForLookup')
      .mockImplementation(async function (this: MeterVerificationRepository, ...args) {
        return (await dueForLookup.apply(this, args)).filter((m) => mine.has(m.serial));
      });
    try {
      return await ctlWith(env, 'verifications', 'sync');
    } finally {
      narrowed.mockRestore();
    }
  }
  const get = (path: string) => stack.http().get(path).set(bearer(operator.token));
  const lookUp = (serial: string) =>
    stack.http().post(`/v1/meters/${serial}/verifications/arshin`).set(bearer(operator.token));

  /** A cold-water meter verified 2019-01-10 for 72 months: due 2025-01-10, expired since. */
  async function expiredMeter(overrides: RegistryRecord = {}) {
    const [meter] = await seedMeters(stack.db, [
      registryRecord({
        installed_on: '2019-01-10',
        verified_on: '2019-01-10',
        verification_interval_months: '72',
        ...overrides,
      }),
    ]);
    return meter;
  }

  function reading(meter: { accountNumber: string; serial: string }, day: string, value: string) {
    return submission({
      accountNumber: meter.accountNumber,
      meterSerial: meter.serial,
      readAt: `2026-${day}T10:00:00+03:00`,
      receivedAt: `2026-${day}T10:00:05.000+03:00`,
      values: [{ zone: 'T1', value }],
    });
  }

  async function verdicts(messages: SubmissionMessage[]) {
    await stack.decided(messages.map((m) => m.submissionId));
    const rows: { submission_id: string; status: string; reasons: string[] }[] =
      await stack.db.query(
        `SELECT submission_id, status, reasons FROM readings WHERE submission_id = ANY ($1)`,
        [messages.map((m) => m.submissionId)],
      );
    const byId = new Map(rows.map((r) => [r.submission_id, `${r.status} ${r.reasons.join(',')}`]));
    return messages.map((m) => byId.get(m.submissionId));
  }

  it('records a newer verification from Arshin and accepts the readings it covers; a reading in the lapse stays rejected before and after', async () => {
    const meter = await expiredMeter();
    const early = {
      inLapse: reading(meter, '10-25', '00102.000'),
      covered: reading(meter, '11-10', '00105.000'),
    };
    await stack.publish(Object.values(early));
    expect(await verdicts(Object.values(early))).toEqual([
      'rejected VERIFICATION_EXPIRED',
      'rejected VERIFICATION_EXPIRED',
    ]);

    const newer = arshinItem({
      mi_number: meter.serial,
      verification_date: '01.11.2026',
      valid_date: '31.10.2032',
      vri_id: `1-${meter.serial}-2026`,
    });
    const sameDayAsRegistry = arshinItem({
      mi_number: meter.serial,
      verification_date: '10.01.2019',
      valid_date: '09.01.2025',
    });
    stub.answer(meter.serial, { body: arshinResult([newer, sameDayAsRegistry]) });
    expect(await sync(meter.serial)).toEqual({
      checked: 1,
      recorded: 1,
      unfit: 0,
      notFound: 0,
      revalidated: 1,
      failed: [],
    });
    // Only the serial (and sorting and paging) was sent.
    expect(stub.requestsFor(meter.serial).map((r) => r.query)).toEqual([
      { mi_number: meter.serial, sort: 'verification_date desc', rows: '20', start: '0' },
    ]);

    expect(await verdicts(Object.values(early))).toEqual([
      'rejected VERIFICATION_EXPIRED',
      'accepted ',
    ]);
    const outcomes = await stack.outcomesOf(early.covered.submissionId, 2);
    expect(outcomes.map((o: OutcomeMessage) => o.status)).toEqual(['rejected', 'accepted']);

    // A reading taken in the lapse that arrives after the recording: judged by its own date.
    const late = {
      inLapse: reading(meter, '10-28', '00103.000'),
      covered: reading(meter, '11-12', '00106.000'),
    };
    await stack.publish([late.inLapse]);
    expect(await verdicts([late.inLapse])).toEqual(['rejected VERIFICATION_EXPIRED']);
    await stack.publish([late.covered]);
    expect(await verdicts([late.covered])).toEqual(['accepted ']);

    // The back office shows where each verification came from; the registry's day stayed its own.
    const history = (await get(`/v1/meters/${meter.serial}/verifications`).expect(200)).body;
    expect(history.verifications).toEqual([
      expect.objectContaining({
        verifiedOn: '2026-11-01',
        dueOn: '2032-10-31',
        applicable: true,
        source: 'arshin',
        vriId: newer.vri_id,
        orgTitle: newer.org_title,
        resultDocnum: newer.result_docnum,
        recordedBy: 'ctl',
      }),
      expect.objectContaining({ verifiedOn: '2019-01-10', source: 'registry', vriId: null }),
    ]);
    const meters = (await get(`/v1/accounts/${meter.accountNumber}/meters`).expect(200)).body;
    expect(meters.meters[0]).toMatchObject({
      verifiedOn: '2026-11-01',
      verificationDueOn: '2032-10-31',
      verificationStatus: 'valid',
    });

    // Again: nothing new, nothing revalidated.
    expect(await sync(meter.serial)).toEqual({
      checked: 1,
      recorded: 0,
      unfit: 0,
      notFound: 0,
      revalidated: 0,
      failed: [],
    });

    // The meter page lists the verifications with their source and Arshin id, and any operator
    // can ask Arshin again from it.
    const web = await signIn();
    const page = await stack
      .http()
      .get(`/meters/${meter.serial}`)
      .set('Cookie', web.cookie)
      .expect(200);
    expect(page.text).toContain('<td>ФГИС «Аршин»</td>');
    expect(page.text).toContain(`<td>${newer.vri_id}</td>`);
    expect(page.text).toContain('Запросить во ФГИС «Аршин»');
    const asked = await stack
      .http()
      .post(`/meters/${meter.serial}/arshin`)
      .set('Cookie', web.cookie)
      .type('form')
      .send({ _csrf: web.csrf })
      .expect(303);
    expect(asked.headers.location).toBe(`/meters/${meter.serial}?done=arshin-nothing`);
  });

  it('an unfit record rejects later readings VERIFICATION_FAILED, and never replaces a newer verification', async () => {
    const meter = await expiredMeter({ verified_on: '2022-06-15', installed_on: '2022-06-15' });
    const before = reading(meter, '10-20', '00101.000');
    await stack.publish([before]);
    expect(await verdicts([before])).toEqual(['accepted ']);

    stub.answer(meter.serial, {
      body: arshinResult([
        arshinItem({
          mi_number: meter.serial,
          verification_date: '05.11.2026',
          valid_date: undefined,
          applicability: false,
          result_docnum: 'И-ВЯ/05-11-2026/1',
        }),
        arshinItem({
          mi_number: meter.serial,
          verification_date: '15.06.2022',
          valid_date: '14.06.2028',
        }),
      ]),
    });
    expect(await sync(meter.serial)).toEqual({
      checked: 1,
      recorded: 1,
      unfit: 1,
      notFound: 0,
      revalidated: 0,
      failed: [],
    });
    // Operators see the meter as unfit; the API keeps the contract's `expired`.
    const listed = await get(`/v1/accounts/${meter.accountNumber}/meters`).expect(200);
    expect(
      listed.body.meters.find((m: { serial: string }) => m.serial === meter.serial),
    ).toMatchObject({ verificationStatus: 'expired', unfitSince: '2026-11-05' });
    const unfitPage = await stack
      .http()
      .get(`/meters/${meter.serial}`)
      .set('Cookie', (await signIn()).cookie)
      .expect(200);
    expect(unfitPage.text).toContain('(непригоден)');
    const after = reading(meter, '11-20', '00104.000');
    await stack.publish([after]);
    expect(await verdicts([after])).toEqual(['rejected VERIFICATION_FAILED']);
    const [outcome] = await stack.outcomesOf(after.submissionId, 1);
    expect(outcome).toMatchObject({ status: 'rejected', reasons: ['VERIFICATION_FAILED'] });

    // An operator's later verification (after repair) is newer than anything Arshin shows: a
    // lookup that returns the same records leaves it current.
    const supervisor = await stack.operator('supervisor');
    await stack
      .http()
      .post(`/v1/meters/${meter.serial}/verifications`)
      .set(bearer(supervisor.token))
      .send({ verifiedOn: '2026-11-25', intervalMonths: 72, certificateNo: 'С-ВЯ/25-11-2026/9' })
      .expect(201);
    expect((await lookUp(meter.serial).expect(200)).body).toMatchObject({ recorded: 0 });
    const history = (await get(`/v1/meters/${meter.serial}/verifications`).expect(200)).body;
    expect(
      history.verifications.map(
        (v: { verifiedOn: string; source: string; applicable: boolean }) =>
          `${v.verifiedOn} ${v.source} ${v.applicable}`,
      ),
    ).toEqual(['2026-11-25 operator true', '2026-11-05 arshin false', '2022-06-15 registry true']);
    const repaired = reading(meter, '11-26', '00104.500');
    await stack.publish([repaired]);
    expect(await verdicts([repaired])).toEqual(['accepted ']);
  });

  it('an unfit record dated before readings already accepted rejects them VERIFICATION_FAILED, also when it is older than the current verification', async () => {
    const unfit = (serial: string) =>
      arshinItem({
        mi_number: serial,
        verification_date: '05.11.2026',
        valid_date: undefined,
        applicability: false,
        result_docnum: 'И-ВЯ/05-11-2026/2',
      });
    const registryDay = (serial: string) =>
      arshinItem({ mi_number: serial, verification_date: '15.06.2022', valid_date: '14.06.2028' });

    // Arshin shows the finding only after the meter's readings were accepted.
    const meter = await expiredMeter({ verified_on: '2022-06-15', installed_on: '2022-06-15' });
    const before = reading(meter, '11-01', '00101.000');
    const after = reading(meter, '11-20', '00104.000');
    await stack.publish([before]);
    expect(await verdicts([before])).toEqual(['accepted ']);
    await stack.publish([after]);
    expect(await verdicts([after])).toEqual(['accepted ']);

    stub.answer(meter.serial, {
      body: arshinResult([unfit(meter.serial), registryDay(meter.serial)]),
    });
    expect(await sync(meter.serial)).toEqual({
      checked: 1,
      recorded: 1,
      unfit: 1,
      notFound: 0,
      revalidated: 1,
      failed: [],
    });
    expect(await verdicts([before, after])).toEqual(['accepted ', 'rejected VERIFICATION_FAILED']);
    const outcomes = await stack.outcomesOf(after.submissionId, 2);
    expect(outcomes.map((o: OutcomeMessage) => `${o.status} ${o.reasons.join(',')}`)).toEqual([
      'accepted ',
      'rejected VERIFICATION_FAILED',
    ]);
    const [audit] = await stack.db.query(
      `SELECT before, after FROM audit_log WHERE action = 'meter.revalidate' AND subject = $1`,
      [`meter:${meter.serial}`],
    );
    expect(audit.before.readings).toEqual([
      { submissionId: after.submissionId, status: 'accepted', reasons: [] },
    ]);
    expect(audit.after.readings).toEqual([
      expect.objectContaining({
        submissionId: after.submissionId,
        status: 'rejected',
        reasons: ['VERIFICATION_FAILED'],
      }),
    ]);

    // The finding arrives after an operator's later verification: it does not become current, yet
    // the readings taken while it was in force are rejected all the same.
    const repaired = await expiredMeter({ verified_on: '2022-06-15', installed_on: '2022-06-15' });
    const inFinding = reading(repaired, '11-20', '00104.000');
    await stack.publish([inFinding]);
    expect(await verdicts([inFinding])).toEqual(['accepted ']);
    const supervisor = await stack.operator('supervisor');
    await stack
      .http()
      .post(`/v1/meters/${repaired.serial}/verifications`)
      .set(bearer(supervisor.token))
      .send({ verifiedOn: '2026-11-25', intervalMonths: 72, certificateNo: 'С-ВЯ/25-11-2026/8' })
      .expect(201);
    stub.answer(repaired.serial, {
      body: arshinResult([unfit(repaired.serial), registryDay(repaired.serial)]),
    });
    expect((await lookUp(repaired.serial).expect(200)).body).toEqual({
      checked: 1,
      recorded: 1,
      unfit: 0,
      notFound: 0,
      revalidated: 1,
      failed: [],
    });
    expect(await verdicts([inFinding])).toEqual(['rejected VERIFICATION_FAILED']);
  });

  it('asks with the type number when the registry has it, and reports namesakes of two types without recording them', async () => {
    const csv = join(tmpdir(), `arshin-registry-${process.pid}-${Date.now()}.csv`);
    const typed = registryRecord({
      installed_on: '2019-01-10',
      verified_on: '2019-01-10',
      verification_interval_months: '72',
    });
    writeFileSync(
      csv,
      [
        [...REGISTRY_COLUMNS, 'type_number'].join(';'),
        [...REGISTRY_COLUMNS.map((c) => typed[c] ?? ''), '40000-08'].join(';'),
      ].join('\n'),
    );
    expect(await ctl('registry', 'import', csv)).toEqual({ imported: 1, updated: 0, failed: [] });
    const untyped = await expiredMeter();
    const namesakes = (serial: string) => [
      arshinItem({ mi_number: serial, verification_date: '02.11.2026', valid_date: '01.11.2032' }),
      arshinItem({
        mi_number: serial,
        mit_number: '40000-08',
        mit_title: 'Счетчики воды крыльчатые',
        verification_date: '03.11.2026',
        valid_date: '02.11.2032',
      }),
      arshinItem({
        mi_number: serial,
        mit_number: '55115-13',
        mit_title: 'Счетчики газа',
        verification_date: '04.11.2026',
        valid_date: '03.11.2036',
      }),
    ];
    stub.answer(typed.serial as string, { body: arshinResult(namesakes(typed.serial as string)) });
    stub.answer(untyped.serial, { body: arshinResult(namesakes(untyped.serial)) });

    expect((await lookUp(typed.serial as string).expect(200)).body).toEqual({
      checked: 1,
      recorded: 1,
      unfit: 0,
      notFound: 0,
      revalidated: 0,
      failed: [],
    });
    expect(stub.requestsFor(typed.serial as string)[0].query.mit_number).toBe('40000-08');
    const history = (await get(`/v1/meters/${typed.serial}/verifications`).expect(200)).body;
    expect(history.verifications[0]).toMatchObject({ verifiedOn: '2026-11-03', source: 'arshin' });

    expect((await lookUp(untyped.serial).expect(200)).body).toEqual({
      checked: 1,
      recorded: 0,
      unfit: 0,
      notFound: 0,
      revalidated: 0,
      failed: [
        {
          serial: untyped.serial,
          error:
            'ambiguous: Arshin has this serial for types 32636-06, 40000-08; set type_number in the registry',
        },
      ],
    });
    const [{ n }] = await stack.db.query(
      `SELECT count(*)::int AS n FROM meter_verifications WHERE serial = $1 AND source = 'arshin'`,
      [untyped.serial],
    );
    expect(n).toBe(0);
    await lookUp('NO-SUCH-METER-1').expect(404);
  });

  it('reports a serial Arshin has only for types whose title names no resource, instead of counting it not found', async () => {
    const meter = await expiredMeter();
    const flowmeter = arshinItem({
      mi_number: meter.serial,
      mit_number: '49250-12',
      mit_title: 'Расходомеры-счетчики ультразвуковые',
      verification_date: '02.11.2026',
      valid_date: '01.11.2030',
    });
    stub.answer(meter.serial, { body: arshinResult([flowmeter]) });
    expect(await sync(meter.serial)).toEqual({
      checked: 1,
      recorded: 0,
      unfit: 0,
      notFound: 0,
      revalidated: 0,
      failed: [
        {
          serial: meter.serial,
          error:
            'unclear: Arshin has this serial only for types 49250-12, whose titles name no resource; set type_number in the registry',
        },
      ],
    });

    // Beside a record of the meter's resource, such a type is a namesake (a gauge, a stopwatch).
    const gauge = arshinItem({
      mi_number: meter.serial,
      mit_number: '11111-01',
      mit_title: 'Манометры',
      verification_date: '03.11.2026',
      valid_date: '02.11.2028',
    });
    stub.answer(meter.serial, {
      body: arshinResult([
        gauge,
        arshinItem({ mi_number: meter.serial, verification_date: '01.11.2026' }),
      ]),
    });
    expect(await sync(meter.serial)).toMatchObject({ recorded: 1, notFound: 0, failed: [] });
  });

  it('reads every page of a serial before matching, and records nothing from an answer it could not read whole', async () => {
    // Another manufacturer's water meters fill the first page; this meter's type is on the second.
    const meter = await expiredMeter();
    const namesake = (i: number) =>
      arshinItem({
        mi_number: meter.serial,
        mit_number: '40000-08',
        mit_title: 'Счетчики воды крыльчатые',
        verification_date: `${String(i + 1).padStart(2, '0')}.11.2026`,
        valid_date: `${String(i + 1).padStart(2, '0')}.11.2032`,
      });
    const items = [
      ...Array.from({ length: 20 }, (_, i) => namesake(19 - i)),
      arshinItem({ mi_number: meter.serial, verification_date: '02.10.2026' }),
    ];
    const page = (start: number) => ({
      body: { result: { count: 21, start, rows: 20, items: items.slice(start, start + 20) } },
    });
    stub.answer(meter.serial, page(0), page(20));
    expect((await lookUp(meter.serial).expect(200)).body).toMatchObject({
      checked: 1,
      recorded: 0,
      failed: [
        {
          serial: meter.serial,
          error:
            'ambiguous: Arshin has this serial for types 32636-06, 40000-08; set type_number in the registry',
        },
      ],
    });
    expect(stub.requestsFor(meter.serial).map((r) => r.query.start)).toEqual(['0', '20']);

    // More records than five pages: what was not read could be this meter's.
    const crowded = await expiredMeter();
    stub.answer(crowded.serial, {
      body: {
        result: {
          count: 101,
          start: 0,
          rows: 20,
          items: Array.from({ length: 20 }, () => arshinItem({ mi_number: crowded.serial })),
        },
      },
    });
    expect((await lookUp(crowded.serial).expect(200)).body).toEqual({
      checked: 1,
      recorded: 0,
      unfit: 0,
      notFound: 0,
      revalidated: 0,
      failed: [
        {
          serial: crowded.serial,
          error:
            'too many records: Arshin counts 101 of this serial, more than the 100 a lookup reads; set type_number in the registry',
        },
      ],
    });
    const [{ n }] = await stack.db.query(
      `SELECT count(*)::int AS n FROM meter_verifications WHERE serial = ANY ($1) AND source = 'arshin'`,
      [[meter.serial, crowded.serial]],
    );
    expect(n).toBe(0);
  });

  it('refuses a record whose text cannot be stored: it is in `failed`, not stored, and the sync goes on with the next meter', async () => {
    // Due 2024-01-10 and 2025-01-10: the hostile meter is synced first.
    const hostile = await expiredMeter({ verified_on: '2018-01-10', installed_on: '2018-01-10' });
    const next = await expiredMeter();
    const fit = (serial: string, overrides: Record<string, unknown> = {}) =>
      arshinItem({
        mi_number: serial,
        verification_date: '01.11.2026',
        valid_date: '31.10.2032',
        ...overrides,
      });
    stub.answer(
      hostile.serial,
      { body: arshinResult([fit(hostile.serial, { result_docnum: 'С-ВЯ/\ud800' })]) },
      { body: arshinResult([fit(hostile.serial, { org_title: 'ФБУ \u0000 ЦСМ' })]) },
    );
    stub.answer(next.serial, { body: arshinResult([fit(next.serial)]) });
    const refused = (field: string) => ({
      serial: hostile.serial,
      error: `item 1 of Arshin's answer skipped: ${field} holds U+0000 or a lone surrogate, which cannot be stored`,
    });

    // The operator's lookup answers 200 with the report, as for any failure of Arshin.
    for (const field of ['result_docnum', 'org_title'])
      expect((await lookUp(hostile.serial).expect(200)).body).toEqual({
        checked: 1,
        recorded: 0,
        unfit: 0,
        notFound: 0,
        revalidated: 0,
        failed: [refused(field)],
      });

    // The hostile meter was answered just now (the lookups above): a sync of the due meters asks
    // about it again only with no recheck days.
    expect(await syncDueOf([hostile.serial, next.serial], { ARSHIN_RECHECK_DAYS: '0' })).toEqual({
      checked: 2,
      recorded: 1,
      unfit: 0,
      notFound: 0,
      revalidated: 0,
      failed: [refused('org_title')],
    });
    const arshinDays = async (serial: string) =>
      (await get(`/v1/meters/${serial}/verifications`).expect(200)).body.verifications
        .filter((v: { source: string }) => v.source === 'arshin')
        .map((v: { verifiedOn: string }) => v.verifiedOn);
    expect(await arshinDays(hostile.serial)).toEqual([]);
    expect(await arshinDays(next.serial)).toEqual(['2026-11-01']);
  });

  it('records the usable records of an answer and lists each item it cannot read in `failed`, stored neither whole nor altered', async () => {
    const meter = await expiredMeter();
    const item = (day: string, overrides: Record<string, unknown> = {}) =>
      arshinItem({
        mi_number: meter.serial,
        verification_date: `${day}.10.2026`,
        valid_date: `${day}.10.2032`,
        ...overrides,
      });
    stub.answer(meter.serial, {
      body: arshinResult([
        item('30'),
        item('29', { valid_date: '32.10.2032' }),
        item('28', { vri_id: undefined }),
        item('27', { valid_date: '27.10.2025' }),
        item('26', { applicability: 'true' }),
        item('25', { org_title: 'Ф'.repeat(1001) }),
        item('24', { result_docnum: 'С-ВЯ/\u0000' }),
      ]),
    });
    const skipped = (n: number, reason: string) => ({
      serial: meter.serial,
      error: `item ${n} of Arshin's answer skipped: ${reason}`,
    });
    expect(await sync(meter.serial)).toEqual({
      checked: 1,
      recorded: 1,
      unfit: 0,
      notFound: 0,
      revalidated: 0,
      failed: [
        skipped(2, 'valid_date of a fit record is not a DD.MM.YYYY date'),
        skipped(3, 'no vri_id'),
        skipped(4, 'valid_date is before verification_date'),
        skipped(5, 'applicability is neither true nor false'),
        skipped(6, 'org_title is longer than 1000 characters'),
        skipped(7, 'result_docnum holds U+0000 or a lone surrogate, which cannot be stored'),
      ],
    });
    const stored: { verified_on: string }[] = await stack.db.query(
      `SELECT verified_on::text FROM meter_verifications WHERE serial = $1 AND source = 'arshin'`,
      [meter.serial],
    );
    expect(stored).toEqual([{ verified_on: '2026-10-30' }]);
  });

  it('records nothing of a meter when an item it cannot read may be its latest record', async () => {
    const meter = await expiredMeter();
    const fit = arshinItem({
      mi_number: meter.serial,
      verification_date: '01.10.2026',
      valid_date: '30.09.2032',
    });
    // Arshin's latest says unfit, but its protocol number cannot be stored as written.
    const unfit = arshinItem({
      vri_id: '1-999',
      mi_number: meter.serial,
      verification_date: '02.11.2026',
      valid_date: undefined,
      applicability: false,
      result_docnum: 'И-\u0000',
    });
    const undated = arshinItem({ vri_id: '1-998', mi_number: meter.serial, verification_date: '' });
    const nothingRecorded = {
      serial: meter.serial,
      error: 'nothing recorded: an item skipped may be the latest record of this meter',
    };
    stub.answer(meter.serial, { body: arshinResult([fit, unfit]) });
    expect(await sync(meter.serial)).toEqual({
      checked: 1,
      recorded: 0,
      unfit: 0,
      notFound: 0,
      revalidated: 0,
      failed: [
        {
          serial: meter.serial,
          error:
            "item 2 of Arshin's answer skipped: result_docnum holds U+0000 or a lone surrogate, which cannot be stored",
        },
        nothingRecorded,
      ],
    });
    stub.answer(meter.serial, { body: arshinResult([fit, undated]) });
    expect(await sync(meter.serial)).toMatchObject({
      recorded: 0,
      failed: [
        {
          serial: meter.serial,
          error: "item 2 of Arshin's answer skipped: verification_date is not a DD.MM.YYYY date",
        },
        nothingRecorded,
      ],
    });
    const stored: unknown[] = await stack.db.query(
      `SELECT 1 FROM meter_verifications WHERE serial = $1 AND source = 'arshin'`,
      [meter.serial],
    );
    expect(stored).toEqual([]);
  });

  it('looks up the meters in use that are expired or due by the given day, soonest first', async () => {
    const meters = await seedMeters(stack.db, [
      registryRecord({ verified_on: '2019-01-10', installed_on: '2019-01-10' }),
      registryRecord({ verified_on: '2020-12-20', installed_on: '2020-12-20' }),
      registryRecord({ verified_on: '2021-03-01', installed_on: '2021-03-01' }),
      registryRecord({
        verified_on: '2019-01-10',
        installed_on: '2019-01-10',
        decommissioned_on: '2026-01-01',
      }),
    ]);
    const mine = new Set(meters.map((m) => m.serial));
    const due = async (dueBy: string) =>
      (
        await new MeterVerificationRepository(stack.db).dueForLookup({
          dueBy,
          askedBefore: new Date(),
        })
      )
        .filter((m) => mine.has(m.serial))
        .map((m) => m.serial);
    // Due 2025-01-10, 2026-12-20 and 2027-03-01; the fourth was removed.
    expect(await due('2026-12-05')).toEqual([meters[0].serial]);
    expect(await due('2027-01-04')).toEqual([meters[0].serial, meters[1].serial]);
    expect(await due('2027-03-01')).toEqual([meters[0].serial, meters[1].serial, meters[2].serial]);
    await expect(sync('NO-SUCH-METER-2')).rejects.toThrow('no meter NO-SUCH-METER-2');
  });

  it('leaves out of a sync of the due meters one Arshin answered about since the recheck day, unless its type number changed', async () => {
    const meters = [await expiredMeter(), await expiredMeter(), await expiredMeter()];
    const [answered, unanswered, never] = meters;
    stub.answer(answered.serial, { body: arshinResult([]) });
    expect(await sync(answered.serial)).toMatchObject({ checked: 1, notFound: 1 });
    stub.answer(unanswered.serial, { status: 503, raw: 'Service Unavailable' });
    expect(await sync(unanswered.serial)).toMatchObject({
      checked: 0,
      failed: [{ error: 'HTTP 503' }],
    });
    const mine = new Set(meters.map((m) => m.serial));
    const due = async (askedBefore: Date) =>
      (
        await new MeterVerificationRepository(stack.db).dueForLookup({
          dueBy: '2026-12-05',
          askedBefore,
        })
      )
        .filter((m) => mine.has(m.serial))
        .map((m) => m.serial);
    const all = meters.map((m) => m.serial).sort();
    const weekAgo = new Date(Date.now() - 7 * DAY_MS);
    // Answered just now: not asked again; a lookup that failed and a meter never asked are.
    expect(await due(weekAgo)).toEqual(all.filter((s) => s !== answered.serial));
    expect(await due(new Date(Date.now() + 1000))).toEqual(all);
    // The registry now gives its type: Arshin is asked with it at the next sync.
    await stack.db.query(`UPDATE meters SET type_number = '32636-06' WHERE serial = $1`, [
      answered.serial,
    ]);
    expect(await due(weekAgo)).toEqual(all);
    await stack.db.query(`UPDATE meters SET type_number = NULL WHERE serial = $1`, [
      answered.serial,
    ]);

    // A sync of the due meters with the default recheck days asks about the other two only.
    stub.answer(unanswered.serial, { body: arshinResult([]) });
    stub.answer(never.serial, { body: arshinResult([]) });
    expect(await syncDueOf(all)).toMatchObject({ checked: 2, notFound: 2, failed: [] });
    expect(stub.requestsFor(answered.serial)).toHaveLength(1);
    expect(stub.requestsFor(never.serial)).toHaveLength(1);
  });

  it('syncs the due meters in one process at a time, while one meter is looked up whenever asked', async () => {
    const meter = await expiredMeter();
    stub.answer(meter.serial, { body: arshinResult([]) }, { body: arshinResult([]) });
    const asked = stub.requests.length;
    const notFound = { checked: 1, recorded: 0, unfit: 0, notFound: 1, revalidated: 0, failed: [] };
    await new TransactionRunner(stack.db).exclusively(SYNC_JOB, async () => {
      await expect(ctl('verifications', 'sync')).rejects.toThrow(
        'arshin sync is already running in another instance or command',
      );
      expect(stub.requests).toHaveLength(asked);
      expect(await sync(meter.serial)).toEqual(notFound);
      await lookUp(meter.serial).expect(200);
    });
    expect(stub.requestsFor(meter.serial)).toHaveLength(2);
  });

  it('rides out a 429, and an outage neither blocks readings nor crashes: failures are reported and the circuit opens', async () => {
    const throttled = await expiredMeter();
    stub.answer(
      throttled.serial,
      { status: 429, raw: 'Too Many Requests', headers: { 'retry-after': '1' } },
      {
        body: arshinResult([
          arshinItem({
            mi_number: throttled.serial,
            verification_date: '01.11.2026',
            valid_date: '31.10.2032',
          }),
        ]),
      },
    );
    expect(await sync(throttled.serial)).toMatchObject({ checked: 1, recorded: 1, failed: [] });
    expect(stub.requestsFor(throttled.serial)).toHaveLength(2);

    const out = await expiredMeter();
    stub.down();
    expect(await sync(out.serial)).toEqual({
      checked: 0,
      recorded: 0,
      unfit: 0,
      notFound: 0,
      revalidated: 0,
      failed: [{ serial: out.serial, error: 'HTTP 503' }],
    });

    // The back office's client opens its circuit after two failed lookups and then sends nothing.
    const failedWith = async () => (await lookUp(out.serial).expect(200)).body.failed;
    expect(await failedWith()).toEqual([{ serial: out.serial, error: 'HTTP 503' }]);
    expect(await failedWith()).toEqual([{ serial: out.serial, error: 'HTTP 503' }]);
    const sent = stub.requests.length;
    const started = Date.now();
    expect(await failedWith()).toEqual([
      { serial: out.serial, error: 'Arshin is not answering; circuit open' },
    ]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(stub.requests).toHaveLength(sent);

    // Readings flow all the while.
    const [valid] = await seedMeters(stack.db, [registryRecord()]);
    const flowing = reading(valid, '11-20', '00104.000');
    await stack.publish([flowing]);
    expect(await verdicts([flowing])).toEqual(['accepted ']);
    await stack.http().get('/health/ready').expect(200);
    stub.up();
  });
});
