import type { INestApplication } from '@nestjs/common';
import {
  estimateId,
  type EstimateMessage,
  type OutcomeMessage,
  type SubmissionMessage,
  TOPICS,
} from '@gw/contracts';
import {
  addPeriods,
  DEFAULT_ESTIMATE_POLICY,
  DEFAULT_WINDOW_POLICY,
  formatDate,
  moscowDate,
  moscowMidnight,
  type Period,
  type RegistryRecord,
} from '@gw/domain';
import type { Kafka, Producer } from 'kafkajs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { EstimateRepository, TransactionRunner } from '@gw/persistence';
import { RunEstimatesUseCase } from '@gw/runtime';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createOperator, login, startBackoffice } from '../backoffice/backoffice-app';
import { sessionCookieName } from '../../apps/backoffice-api/src/web/web-session';
import { periodsToEstimate } from '../../apps/reading-processor/src/billing-jobs.scheduler';
import { runCtl } from '../support/ctl';
import {
  recordUnfit,
  registryRecord,
  seedMeters,
  submission,
  uniqueAccount,
} from '../support/factories';
import { testDatabase, testKafka, TopicTap } from '../support/infra';
import { startProcessor } from '../support/processor';

const PERIOD = '2026-10';

/** Cumulative register values read on the 20th of 2026-01, 2026-02, … (cold water, 5 + 3 digits). */
const WATER = ['103', '106', '109', '112', '115', '118.5', '121', '125', '128'];

/** A response body as the text it is (supertest leaves a CSV body unparsed). */
function asText(
  res: { on(event: string, listener: (chunk: Buffer) => void): unknown },
  done: (error: Error | null, body: string) => void,
) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
}

/** A reading of `record`'s meter taken (and received) on `dayOfMonth` (the 20th) of `month` of 2026. */
function readingOf(
  record: RegistryRecord,
  month: number,
  value: string,
  dayOfMonth = 20,
): SubmissionMessage {
  const day = `2026-${String(month).padStart(2, '0')}-${dayOfMonth}`;
  return submission({
    accountNumber: record.account_number,
    meterSerial: record.serial,
    values: [{ zone: 'T1', value }],
    readAt: `${day}T10:00:00+03:00`,
    receivedAt: `${day}T10:00:05.000+03:00`,
  });
}

/** Readings of the first `months` months of WATER (or of `values`). */
const history = (record: RegistryRecord, months: number, values = WATER) =>
  values.slice(0, months).map((value, i) => readingOf(record, i + 1, value));

/**
 * The periods the processor's schedule covers from now for `spanMs` at least. They change at the
 * Moscow midnight that closes a resource's window: when that is closer than `spanMs`, this waits
 * for it, since a test that reads them before it and starts a processor after it would expect
 * the wrong periods.
 */
async function periodsSteadyFor(spanMs: number): Promise<Period[]> {
  const dayAt = (ms: number) => formatDate(moscowDate(new Date(ms)));
  const now = Date.now();
  const later = dayAt(now + spanMs);
  const periods = periodsToEstimate(DEFAULT_WINDOW_POLICY, later);
  if (periodsToEstimate(DEFAULT_WINDOW_POLICY, dayAt(now)).join() !== periods.join())
    await new Promise((resolve) => setTimeout(resolve, moscowMidnight(later).getTime() - now));
  return periods;
}

describe('estimates run (Decree 354, contract section 10)', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let estimates: TopicTap;
  let outcomes: TopicTap;
  let processor: INestApplication;
  let backoffice: INestApplication;
  let token: string;
  let dir: string;

  const fromDecember = { initial_on: '2025-12-20', initial_t1: '00100.000' };
  const meters = {
    sixMonths: registryRecord(fromDecember),
    twoMonths: registryRecord({ initial_on: '2026-08-01', initial_t1: '00100.000' }),
    expiredLong: registryRecord({
      ...fromDecember,
      resource: 'hot_water',
      installed_on: '2020-05-10',
      verified_on: '2020-05-10',
    }),
    expiredRecently: registryRecord({
      ...fromDecember,
      installed_on: '2020-09-01',
      verified_on: '2020-09-01',
    }),
    fourthPeriod: registryRecord(fromDecember),
    unfit: registryRecord(fromDecember),
    electricity: registryRecord({
      initial_on: '2025-12-20',
      initial_t1: '01000.000',
      resource: 'electricity',
      integer_digits: '6',
      fraction_digits: '1',
    }),
    noNormative: registryRecord({ initial_on: '2026-08-01', initial_t1: '00100.000' }),
    read: registryRecord(fromDecember),
  };
  const shared = uniqueAccount();
  const sharing = [
    registryRecord({ account_number: shared, initial_on: '2026-10-01' }),
    registryRecord({ account_number: shared, initial_on: '2026-10-01' }),
  ];
  const ours = [...Object.values(meters), ...sharing].map((m) => m.serial as string);

  const publish = (messages: SubmissionMessage[]) =>
    producer.send({
      topic: TOPICS.submitted,
      acks: -1,
      messages: messages.map((m) => ({ key: m.accountNumber, value: JSON.stringify(m) })),
    });

  /** Sends readings and waits until the processor accepted every one of them. */
  async function accepted(messages: SubmissionMessage[]): Promise<void> {
    await publish(messages);
    const ids = messages.map((m) => m.submissionId);
    const decided = await outcomes.waitFor<OutcomeMessage>(
      (all) => all.filter((o) => ids.includes(o.submissionId)),
      ids.length,
    );
    const byId = new Map(decided.map((o) => [o.submissionId, o]));
    expect(messages.map((m) => [m.meterSerial, byId.get(m.submissionId)?.status])).toEqual(
      messages.map((m) => [m.meterSerial, 'accepted']),
    );
  }

  const estimatesOf = (serial: string) =>
    estimates.json<EstimateMessage>().filter((e) => e.meterSerial === serial);

  beforeAll(async () => {
    kafka = testKafka();
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    db = await testDatabase();
    dir = mkdtempSync(join(tmpdir(), 'estimates-'));
    await seedMeters(db, [...Object.values(meters), ...sharing]);
    const normatives = join(dir, 'normatives.csv');
    writeFileSync(
      normatives,
      [
        'account_number;resource;monthly_volume',
        ...[
          meters.sixMonths,
          meters.twoMonths,
          meters.expiredRecently,
          meters.fourthPeriod,
          meters.unfit,
        ].map((m) => `${m.account_number};cold_water;6,9`),
        `${meters.expiredLong.account_number};hot_water;4`,
        `${meters.electricity.account_number};electricity;250`,
        `${shared};cold_water;7`,
        `${shared};hot_water;99`,
      ].join('\n'),
    );
    expect(await runCtl('normatives', 'import', normatives)).toEqual({
      imported: 9,
      updated: 0,
      failed: [],
    });
    estimates = await TopicTap.open(kafka, TOPICS.estimates);
    outcomes = await TopicTap.open(kafka, TOPICS.outcomes);
    backoffice = await startBackoffice();
    token = await login(backoffice, await createOperator(db, 'operator'));
    processor = await startProcessor({
      REMINDERS_ENABLED: 'false',
      BILLING_JOBS_INTERVAL_MS: '300',
    });
    await accepted([
      ...history(meters.sixMonths, 9),
      ...[meters.twoMonths, meters.noNormative].flatMap((m) => [
        readingOf(m, 8, '103'),
        readingOf(m, 9, '106'),
      ]),
      ...history(meters.expiredLong, 4),
      ...history(meters.expiredRecently, 8),
      ...history(meters.fourthPeriod, 6),
      ...history(meters.unfit, 4),
      ...history(meters.electricity, 6, ['1100', '1200', '1300', '1400', '1500', '1600']),
      ...history(meters.read, 9),
      readingOf(meters.read, 10, '131'),
    ]);
    await recordUnfit(db, meters.unfit.serial as string, '2026-05-05');
  });

  afterAll(async () => {
    await processor?.close();
    await backoffice?.close();
    await estimates?.close();
    await outcomes?.close();
    await producer?.disconnect();
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a period whose window is still open', async () => {
    await expect(runCtl('estimates', 'run', '--period', '2099-01')).rejects.toThrow(
      'the window of 2099-01 is still open',
    );
  });

  it('refuses to run a period another instance is estimating, and estimates nothing', async () => {
    const elsewhere = await testDatabase();
    try {
      await new TransactionRunner(elsewhere).exclusively(`estimates ${PERIOD}`, () =>
        expect(runCtl('estimates', 'run', '--period', PERIOD)).rejects.toThrow(
          `estimates ${PERIOD} is already running in another instance or command`,
        ),
      );
    } finally {
      await elsewhere.destroy();
    }
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM meter_estimates WHERE billing_period = $1 AND meter_serial = ANY($2)`,
      [PERIOD, Object.values(meters).map((m) => m.serial)],
    );
    expect(n).toBe(0);
  });

  it('estimates every meter without a reading by the branch of the rule it falls in, and publishes each once', async () => {
    const first = await runCtl<{ missingNormative: string[]; estimated: number }>(
      'estimates',
      'run',
      '--period',
      PERIOD,
    );
    // The report names at most 100 meters without a normative, and the database holds other
    // suites' meters too: the meter's own row says it got no estimate.
    expect(first.missingNormative.length).toBeGreaterThan(0);
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM meter_estimates WHERE meter_serial = $1 AND billing_period = $2`,
      [meters.noNormative.serial, PERIOD],
    );
    expect(n).toBe(0);
    const expected: Record<string, Partial<EstimateMessage>> = {
      // 2026-04 to 2026-09 consumed 3 + 3 + 3.5 + 2.5 + 4 + 3 = 19: 19 / 6
      [meters.sixMonths.serial as string]: {
        method: 'average',
        consecutive: 1,
        consumption: [{ zone: 'T1', value: '3.167' }],
        basis: { from: '2026-04', to: '2026-09', periods: 6 },
        coefficient: null,
      },
      // one month of use since the initial values of 2026-08: no average
      [meters.twoMonths.serial as string]: {
        method: 'normative',
        consecutive: 1,
        consumption: [{ zone: 'T1', value: '6.900' }],
        basis: null,
        coefficient: null,
      },
      // due 2026-05-10, out of order from 2026-05: its sixth period, hot water normative 4 x 1.5
      [meters.expiredLong.serial as string]: {
        method: 'normative_raised',
        consecutive: 6,
        consumption: [{ zone: 'T1', value: '6.000' }],
        basis: null,
        coefficient: 1.5,
      },
      // due 2026-09-01, out of order from 2026-09: its second period, the average of 2026-03..08
      [meters.expiredRecently.serial as string]: {
        method: 'average',
        consecutive: 2,
        consumption: [{ zone: 'T1', value: '3.167' }],
        basis: { from: '2026-03', to: '2026-08', periods: 6 },
        coefficient: null,
      },
      // unfit since 2026-05-05, out of order from 2026-05 like an expired one: its sixth
      // period without a reading, past the three of averages, so cold water normative 6.9 x 3
      [meters.unfit.serial as string]: {
        method: 'normative_raised',
        consecutive: 6,
        consumption: [{ zone: 'T1', value: '20.700' }],
        basis: null,
        coefficient: 3,
      },
      // last read for 2026-06: the fourth period without a reading, past N = 3 for water
      [meters.fourthPeriod.serial as string]: {
        method: 'normative',
        consecutive: 4,
        consumption: [{ zone: 'T1', value: '6.900' }],
        basis: null,
        coefficient: null,
      },
      // the fourth period is within N = 6 for electricity: 600 kWh over six months of use
      [meters.electricity.serial as string]: {
        method: 'average',
        consecutive: 4,
        consumption: [{ zone: 'T1', value: '100.000' }],
        basis: { from: '2026-01', to: '2026-06', periods: 6 },
        coefficient: null,
      },
      // never read: the account's normative 7, shared by its two cold-water meters
      [sharing[0].serial as string]: {
        method: 'normative',
        consecutive: 1,
        consumption: [{ zone: 'T1', value: '3.500' }],
        basis: null,
        coefficient: null,
      },
      [sharing[1].serial as string]: {
        method: 'normative',
        consecutive: 1,
        consumption: [{ zone: 'T1', value: '3.500' }],
        basis: null,
        coefficient: null,
      },
    };
    await estimates.waitFor<EstimateMessage>(
      (all) => all.filter((e) => e.meterSerial in expected),
      Object.keys(expected).length,
    );
    for (const [serial, fields] of Object.entries(expected)) {
      const record = [...Object.values(meters), ...sharing].find((m) => m.serial === serial);
      expect(estimatesOf(serial)).toEqual([
        {
          schema: 'meter-reading-estimate/1',
          estimateId: estimateId(serial, PERIOD),
          accountNumber: record?.account_number,
          meterSerial: serial,
          billingPeriod: PERIOD,
          supersedes: null,
          decidedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+03:00$/),
          ...fields,
        },
      ]);
    }
    expect(estimatesOf(meters.noNormative.serial as string)).toEqual([]);
    expect(estimatesOf(meters.read.serial as string)).toEqual([]);

    const again = await runCtl<{ estimated: number }>('estimates', 'run', '--period', PERIOD);
    expect(again.estimated).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const serial of ours) expect(estimatesOf(serial).length).toBe(serial in expected ? 1 : 0);
  });

  it('publishes a superseding message when a reading for the period is accepted later', async () => {
    const late = readingOf(meters.sixMonths, 10, '131.2');
    await accepted([late]);
    const serial = meters.sixMonths.serial as string;
    const [superseding] = await estimates.waitFor<EstimateMessage>(
      (all) => all.filter((e) => e.meterSerial === serial && e.method === 'reading'),
      1,
    );
    expect(superseding).toEqual({
      schema: 'meter-reading-estimate/1',
      estimateId: estimateId(serial, PERIOD),
      accountNumber: meters.sixMonths.account_number,
      meterSerial: serial,
      billingPeriod: PERIOD,
      method: 'reading',
      consecutive: 0,
      consumption: [{ zone: 'T1', value: '3.200' }],
      basis: null,
      coefficient: null,
      supersedes: estimateId(serial, PERIOD),
      decidedAt: expect.stringMatching(/\+03:00$/),
    });
    const [row] = await db.query(
      `SELECT superseded_by FROM meter_estimates WHERE meter_serial = $1 AND billing_period = $2`,
      [serial, PERIOD],
    );
    expect(row.superseded_by).toBe(late.submissionId);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(estimatesOf(serial).map((e) => e.method)).toEqual(['average', 'reading']);
  });

  const get = (path: string) =>
    request(backoffice.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);

  it("lists a period's estimates in the back office, paged, and exports them as CSV", async () => {
    const list = async (query: string) =>
      (await get(`/v1/estimates?period=${PERIOD}&${query}`).expect(200)).body as {
        period: string;
        estimates: { meterSerial: string }[];
        nextAfterSerial: string | null;
      };
    const four = await list('limit=4');
    const firstTwo = await list('limit=2');
    const nextTwo = await list(
      `limit=2&afterSerial=${encodeURIComponent(firstTwo.nextAfterSerial ?? '')}`,
    );
    expect([...firstTwo.estimates, ...nextTwo.estimates]).toEqual(four.estimates);
    expect(firstTwo.nextAfterSerial).toBe(firstTwo.estimates[1].meterSerial);
    const all = await list('limit=1000');
    expect(all.estimates.find((e) => e.meterSerial === sharing[1].serial)).toEqual({
      estimateId: estimateId(sharing[1].serial as string, PERIOD),
      accountNumber: shared,
      meterSerial: sharing[1].serial,
      resource: 'cold_water',
      billingPeriod: PERIOD,
      method: 'normative',
      consecutive: 1,
      consumption: [{ zone: 'T1', value: '3.500' }],
      basis: null,
      coefficient: null,
      decidedAt: expect.stringMatching(/\+03:00$/),
      published: true,
      supersededBy: null,
    });
    const bad = await get('/v1/estimates?period=2026-13').expect(400);
    expect(JSON.stringify(bad.body)).toContain('period must be a month YYYY-MM');

    const csv = await get(`/v1/estimates/export?period=${PERIOD}`)
      .buffer(true)
      .parse(asText)
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = csv.body as string;
    expect(
      text.startsWith('\uFEFFestimate_id;account_number;serial;resource;billing_period;'),
    ).toBe(true);
    const lines = text.split('\r\n');
    const raisedLine = lines.find((l) => l.includes(`;${meters.expiredLong.serial};`));
    expect(raisedLine).toBe(
      `${estimateId(meters.expiredLong.serial as string, PERIOD)};${meters.expiredLong.account_number};` +
        `${meters.expiredLong.serial};hot_water;${PERIOD};normative_raised;6;6.000;;;;;;1.5;` +
        raisedLine?.split(';')[14] +
        ';',
    );
    const superseded = lines.find((l) => l.includes(`;${meters.sixMonths.serial};`));
    expect(superseded?.split(';').slice(5, 13)).toEqual([
      'average',
      '1',
      '3.167',
      '',
      '',
      '2026-04',
      '2026-09',
      '6',
    ]);
    expect(superseded?.split(';')[15]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("shows the estimates on the operators' page in Russian, with the billing file to download", async () => {
    const cookie = `${sessionCookieName(false)}=${token}`;
    const html = await request(backoffice.getHttpServer())
      .get(`/estimates?period=${PERIOD}`)
      .set('Cookie', cookie)
      .expect(200);
    expect(html.text).toContain('<h1>Начисления без показаний (ПП № 354)</h1>');
    expect(html.text).toContain(`<tr data-serial="${meters.expiredLong.serial}">`);
    expect(html.text).toContain('по нормативу с повышающим коэффициентом × 1.5');
    // Resources and periods in Russian, not as the wire spells them.
    expect(html.text).toContain('<td>горячая вода</td>');
    expect(html.text).not.toMatch(/<td>[^<]*\b\d{4}-\d{2}\b[^<]*<\/td>/);
    expect(html.text).toContain('заменена принятым показанием');
    expect(html.text).toContain(`href="/estimates.csv?period=${PERIOD}"`);
    const file = await request(backoffice.getHttpServer())
      .get(`/estimates.csv?period=${PERIOD}`)
      .set('Cookie', cookie)
      .buffer(true)
      .parse(asText)
      .expect(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.body as string).toContain(`;${meters.expiredLong.serial};hot_water;`);
    // A period that is not a month comes back in the form, marked, with what to type instead.
    const refused = await request(backoffice.getHttpServer())
      .get('/estimates?period=2026-13')
      .set('Cookie', cookie)
      .expect(422);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect(refused.text).toContain(
      'value="2026-13" required aria-invalid="true" aria-describedby="period-error"',
    );
    expect(refused.text).toContain(
      '<p class="field-error" id="period-error" role="alert">Укажите месяц: год и месяц, например 2026-10.</p>',
    );
    expect(refused.text).not.toContain('estimates.csv');
    const file400 = await request(backoffice.getHttpServer())
      .get('/estimates.csv?period=2026-13')
      .set('Cookie', cookie)
      .expect(400);
    expect(file400.text).toContain('Укажите месяц: год и месяц, например 2026-10.');
  });

  it('publishes the superseding message when an operator approves a reading of the period', async () => {
    const serial = meters.twoMonths.serial as string;
    const slip = {
      ...readingOf(meters.twoMonths, 10, '109'),
      channel: 'paper-slip' as const,
      confidence: 0.5,
    };
    const reviewed = submission({ ...slip, submissionId: undefined });
    await publish([reviewed]);
    const [outcome] = await outcomes.waitFor<OutcomeMessage>(
      (all) => all.filter((o) => o.submissionId === reviewed.submissionId),
      1,
    );
    expect(outcome.status).toBe('needs_review');
    await request(backoffice.getHttpServer())
      .post(`/v1/review/${reviewed.submissionId}/approve`)
      .set('Authorization', `Bearer ${token}`)
      .send({ comment: 'the slip reads 109 clearly' })
      .expect(200);
    const [superseding] = await estimates.waitFor<EstimateMessage>(
      (all) => all.filter((e) => e.meterSerial === serial && e.method === 'reading'),
      1,
    );
    expect(superseding).toEqual(
      expect.objectContaining({
        estimateId: estimateId(serial, PERIOD),
        supersedes: estimateId(serial, PERIOD),
        consumption: [{ zone: 'T1', value: '3.000' }],
      }),
    );
  });

  /**
   * A meter read for 2026-01..09 whose 2026-10 estimate is published, and a supervisor's POST.
   * Given `decidedAt`, the estimate is decided at that moment of the estimating host's clock.
   */
  async function estimatedMeter(decidedAt?: Date) {
    const meter = registryRecord(fromDecember);
    await seedMeters(db, [meter]);
    await db.query(
      `INSERT INTO normatives (account_number, resource, monthly_volume) VALUES ($1, 'cold_water', 6.9)`,
      [meter.account_number],
    );
    await accepted(history(meter, 9));
    if (decidedAt)
      await new RunEstimatesUseCase(
        new EstimateRepository(db),
        new TransactionRunner(db),
        DEFAULT_WINDOW_POLICY,
        DEFAULT_ESTIMATE_POLICY,
      ).run(PERIOD, decidedAt);
    else await runCtl('estimates', 'run', '--period', PERIOD);
    await estimates.waitFor<EstimateMessage>(
      (all) => all.filter((e) => e.meterSerial === meter.serial),
      1,
    );
    const supervisor = await login(backoffice, await createOperator(db, 'supervisor'));
    const post = (path: string, body?: object) =>
      request(backoffice.getHttpServer())
        .post(path)
        .set('Authorization', `Bearer ${supervisor}`)
        .send(body);
    return { meter, serial: meter.serial as string, post };
  }

  const supersededBy = async (serial: string) =>
    (
      await db.query(
        `SELECT superseded_by FROM meter_estimates WHERE meter_serial = $1 AND billing_period = $2`,
        [serial, PERIOD],
      )
    )[0].superseded_by as string | null;

  it('publishes the estimate again when the reading that superseded it is no longer accepted, until another is', async () => {
    const { meter, serial, post } = await estimatedMeter();
    await accepted([readingOf(meter, 10, '131')]);
    await estimates.waitFor<EstimateMessage>(
      (all) => all.filter((e) => e.meterSerial === serial),
      2,
    );

    // Arshin's unfit record of 2026-10-15: the reading of the 20th is rejected when revalidated.
    await recordUnfit(db, serial, '2026-10-15');
    const revalidated = await post(`/v1/meters/${serial}/revalidate`).expect(200);
    expect(
      revalidated.body.revalidated.map((r: { outcome: OutcomeMessage }) => r.outcome.status),
    ).toEqual(['rejected']);
    const [estimate, reading, republished] = await estimates.waitFor<EstimateMessage>(
      (all) => all.filter((e) => e.meterSerial === serial),
      3,
    );
    expect([estimate.method, reading.method]).toEqual(['average', 'reading']);
    expect(republished).toEqual({ ...estimate, decidedAt: expect.stringMatching(/\+03:00$/) });
    expect(republished.decidedAt > reading.decidedAt).toBe(true);
    expect(await supersededBy(serial)).toBeNull();
    await runCtl('estimates', 'run', '--period', PERIOD);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(estimatesOf(serial)).toHaveLength(3);

    // Verified fit again on the 22nd, the meter's next reading of the period supersedes it again.
    await post(`/v1/meters/${serial}/verifications`, {
      verifiedOn: '2026-10-22',
      intervalMonths: 72,
      certificateNo: 'C-22',
    }).expect(201);
    const next = readingOf(meter, 10, '131.5', 23);
    await accepted([next]);
    const [, , , superseding] = await estimates.waitFor<EstimateMessage>(
      (all) => all.filter((e) => e.meterSerial === serial),
      4,
    );
    expect(superseding).toEqual({
      ...reading,
      consumption: [{ zone: 'T1', value: '3.500' }],
      decidedAt: expect.stringMatching(/\+03:00$/),
    });
    expect(superseding.decidedAt > republished.decidedAt).toBe(true);
    expect(await supersededBy(serial)).toBe(next.submissionId);
  });

  it("orders an estimate's messages by decidedAt when the estimating host's clock is ahead of the database's", async () => {
    const { meter, serial, post } = await estimatedMeter(new Date(Date.now() + 5000));
    await accepted([readingOf(meter, 10, '131')]);
    const [estimate, reading] = await estimates.waitFor<EstimateMessage>(
      (all) => all.filter((e) => e.meterSerial === serial),
      2,
    );
    expect(reading.method).toBe('reading');
    expect(reading.decidedAt > estimate.decidedAt).toBe(true);

    await recordUnfit(db, serial, '2026-10-15');
    await post(`/v1/meters/${serial}/revalidate`).expect(200);
    const [, , republished] = await estimates.waitFor<EstimateMessage>(
      (all) => all.filter((e) => e.meterSerial === serial),
      3,
    );
    expect(republished.method).toBe('average');
    expect(republished.decidedAt > reading.decidedAt).toBe(true);
  });

  it('keeps an estimate superseded while another reading of the period stays accepted', async () => {
    const { meter, serial, post } = await estimatedMeter();
    const [first, second] = [readingOf(meter, 10, '131', 22), readingOf(meter, 10, '132', 24)];
    await accepted([first]);
    await accepted([second]);
    await estimates.waitFor<EstimateMessage>(
      (all) => all.filter((e) => e.meterSerial === serial),
      2,
    );
    expect(await supersededBy(serial)).toBe(first.submissionId);

    // Unfit on the 21st, fit again on the 23rd: only the reading of the 22nd is rejected.
    await recordUnfit(db, serial, '2026-10-21');
    await post(`/v1/meters/${serial}/verifications`, {
      verifiedOn: '2026-10-23',
      intervalMonths: 72,
      certificateNo: 'C-23',
    }).expect(201);
    const revalidated = await post(`/v1/meters/${serial}/revalidate`).expect(200);
    expect(
      revalidated.body.revalidated.map((r: { submissionId: string }) => r.submissionId),
    ).toEqual([first.submissionId]);
    expect(await supersededBy(serial)).toBe(second.submissionId);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(estimatesOf(serial).map((e) => e.method)).toEqual(['average', 'reading']);
  });

  it('averages a meter whose zones changed over the months since the change', async () => {
    const single = registryRecord({
      initial_on: '2025-12-20',
      initial_t1: '01000.0',
      resource: 'electricity',
      integer_digits: '6',
      fraction_digits: '1',
    });
    await seedMeters(db, [single]);
    const zoned = (month: number, t1: string, t2?: string) => ({
      ...readingOf(single, month, t1),
      values: [{ zone: 'T1', value: t1 }, ...(t2 === undefined ? [] : [{ zone: 'T2', value: t2 }])],
    });
    // 100 kWh a month on one zone, January to May.
    await accepted([1, 2, 3, 4, 5].map((month) => zoned(month, String(1000 + 100 * month))));
    // A two-zone tariff from June: its first reading starts the count of both zones.
    await seedMeters(db, [{ ...single, zones: '2', initial_t2: '000000.0' }]);
    await accepted([
      zoned(6, '1520', '40'),
      zoned(7, '1580', '80'),
      zoned(8, '1640', '120'),
      zoned(9, '1700', '160'),
    ]);
    await runCtl('estimates', 'run', '--period', PERIOD);
    const [estimate] = await estimates.waitFor<EstimateMessage>(
      (all) => all.filter((e) => e.meterSerial === single.serial),
      1,
    );
    expect(estimate).toMatchObject({
      method: 'average',
      consumption: [
        { zone: 'T1', value: '60.000' },
        { zone: 'T2', value: '40.000' },
      ],
      basis: { from: '2026-07', to: '2026-09', periods: 3 },
    });
  });

  it('estimates no meter whose reading of the period is being stored while the run stores its chunk', async () => {
    const meter = registryRecord(fromDecember);
    await seedMeters(db, [meter]);
    await db.query(
      `INSERT INTO normatives (account_number, resource, monthly_volume) VALUES ($1, 'cold_water', 6.9)`,
      [meter.account_number],
    );
    // A store transaction as the processor's: the meter locked, its reading of the period written.
    const store = db.createQueryRunner();
    await store.connect();
    await store.startTransaction();
    await store.query(`SELECT serial FROM meters WHERE serial = $1 FOR NO KEY UPDATE`, [
      meter.serial,
    ]);
    const submissionId = randomUUID();
    await store.query(
      `INSERT INTO readings (submission_id, channel, source_id, source_ref, account_number, meter_serial,
              submitted_values, t1, read_at, received_at, status, billing_period, consumption, decided_at,
              kafka_partition, kafka_offset)
       VALUES ($1::uuid, 'kiosk', 'K-1', $1::text, $2, $3, '[{"zone":"T1","value":"00110.000"}]', 110,
               '2026-10-20T10:00:00+03:00', '2026-10-20T10:00:05+03:00', 'accepted', $4,
               '[{"zone":"T1","value":"10.000"}]', now(), 0, 0)`,
      [submissionId, meter.account_number, meter.serial, PERIOD],
    );
    const run = new RunEstimatesUseCase(
      new EstimateRepository(db),
      new TransactionRunner(db),
      DEFAULT_WINDOW_POLICY,
      DEFAULT_ESTIMATE_POLICY,
    ).run(PERIOD, new Date());
    // The run found the meter without a reading; its insert waits for the store to commit.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await store.commitTransaction();
    await store.release();
    await run;
    const rows = await db.query(
      `SELECT method FROM meter_estimates WHERE meter_serial = $1 AND billing_period = $2`,
      [meter.serial, PERIOD],
    );
    expect(rows).toEqual([]);
  });

  it('is run by the processor for each closed period it missed, up to three, when scheduled', async () => {
    // The processor takes the periods from the real clock, and starts as after an outage from
    // before the window of `missed` closed until after the next month's: nothing estimated the
    // meter since. The meter was read on the 20th of each of the six periods before `missed`:
    // 3 + 3.5 + 2.5 + 4 + 3 + 3.2 = 19.2 over 6 months.
    const periods = await periodsSteadyFor(60_000);
    const [missed] = periods;
    const before = (months: number) => addPeriods(missed, 2 - months);
    const meter = registryRecord({ initial_on: `${before(9)}-20`, initial_t1: '00100.000' });
    await seedMeters(db, [meter]);
    await accepted(
      ['103', '106.5', '109', '113', '116', '119.2'].map((value, i) =>
        submission({
          accountNumber: meter.account_number,
          meterSerial: meter.serial,
          values: [{ zone: 'T1', value }],
          readAt: `${before(8 - i)}-20T10:00:00+03:00`,
          receivedAt: `${before(8 - i)}-20T10:00:05.000+03:00`,
        }),
      ),
    );
    const schedule = {
      REMINDERS_ENABLED: 'false',
      ESTIMATES_SCHEDULE_ENABLED: 'true',
      BILLING_JOBS_INTERVAL_MS: '300',
    };
    const serial = meter.serial as string;
    let scheduled = await startProcessor(schedule);
    try {
      const estimated = await estimates.waitFor<EstimateMessage>(
        (all) => all.filter((e) => e.meterSerial === serial),
        periods.length,
        60000,
      );
      expect(estimated.sort((a, b) => a.billingPeriod.localeCompare(b.billingPeriod))).toEqual(
        periods.map((period, i) =>
          expect.objectContaining({
            estimateId: estimateId(serial, period),
            billingPeriod: period,
            method: 'average',
            consecutive: i + 1,
            consumption: [{ zone: 'T1', value: '3.200' }],
            basis: { from: before(8), to: before(3), periods: 6 },
          }),
        ),
      );
      // Started again, it runs the three periods again: a meter added meanwhile gets its
      // estimates (the normative, without history), the first one nothing twice.
      await scheduled.close();
      const added = registryRecord({ initial_on: `${before(9)}-20`, initial_t1: '00100.000' });
      // Never read and without initial values: counted from the period it was installed in.
      const unread = registryRecord({
        installed_on: `${missed}-01`,
        initial_on: '',
        initial_t1: '',
      });
      await seedMeters(db, [added, unread]);
      await db.query(
        `INSERT INTO normatives (account_number, resource, monthly_volume)
         VALUES ($1, 'cold_water', 6.9), ($2, 'cold_water', 6.9)`,
        [added.account_number, unread.account_number],
      );
      scheduled = await startProcessor(schedule);
      const caughtUp = await estimates.waitFor<EstimateMessage>(
        (all) => all.filter((e) => e.meterSerial === added.serial),
        periods.length,
        60000,
      );
      expect(caughtUp.map((e) => [e.billingPeriod, e.method]).sort()).toEqual(
        periods.map((period) => [period, 'normative']),
      );
      const unreadEstimates = await estimates.waitFor<EstimateMessage>(
        (all) => all.filter((e) => e.meterSerial === unread.serial),
        periods.length,
        60000,
      );
      expect(unreadEstimates.map((e) => [e.billingPeriod, e.method, e.consecutive]).sort()).toEqual(
        periods.map((period, i) => [period, 'normative', i + 1]),
      );
      expect(estimatesOf(serial)).toHaveLength(periods.length);
    } finally {
      await scheduled.close();
    }
  });
});
