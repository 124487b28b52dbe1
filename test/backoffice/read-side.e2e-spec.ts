import type { INestApplication } from '@nestjs/common';
import { type SubmissionMessage, TOPICS } from '@gw/contracts';
import { addMonths, DAY_MS, formatDate, moscowDate, parseDate } from '@gw/domain';
import type { Kafka, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { registryRecord, seedMeters, submission, uniqueAccount } from '../support/factories';
import { eventually, testDatabase, testKafka } from '../support/infra';
import { expectEveryOperationRateLimited } from '../support/openapi';
import { startProcessor } from '../support/processor';
import { createOperator, login, startBackoffice } from './backoffice-app';

/** A Moscow calendar date `days` from today, `YYYY-MM-DD`. */
const moscowDay = (days: number) => formatDate(moscowDate(new Date(Date.now() + days * DAY_MS)));

describe('backoffice-api read side through real Kafka, processor and PostgreSQL', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let processor: INestApplication;
  let app: INestApplication;
  let token: string;

  const get = (path: string) =>
    request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);

  const publish = (messages: SubmissionMessage[]) =>
    producer.send({
      topic: TOPICS.submitted,
      acks: -1,
      messages: messages.map((m) => ({ key: m.accountNumber, value: JSON.stringify(m) })),
    });

  /** Polls the back office until it shows the submission, as an operator refreshing would. */
  const recorded = (submissionId: string) =>
    eventually(
      () => get(`/v1/submissions/${submissionId}`),
      (res) => res.status === 200,
    );

  beforeAll(async () => {
    kafka = testKafka();
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    db = await testDatabase();
    processor = await startProcessor();
    app = await startBackoffice();
    token = await login(app, await createOperator(db, 'operator'));
  });

  afterAll(async () => {
    await app?.close();
    await processor?.close();
    await producer?.disconnect();
    await db?.destroy();
  });

  it('is ready once Kafka and PostgreSQL answer', async () => {
    await eventually(
      async () => (await request(app.getHttpServer()).get('/health/ready')).status,
      (status) => status === 200,
    );
  });

  describe('GET /v1/submissions/{submissionId}', () => {
    it('shows each published submission with the outcome the processor decided', async () => {
      const [meter, spiky, other] = await seedMeters(db, [
        registryRecord({ initial_t1: '00100.000' }),
        registryRecord({ initial_t1: '00100.000' }),
        registryRecord(),
      ]);
      const on = (m: typeof meter) => ({ accountNumber: m.accountNumber, meterSerial: m.serial });
      const accepted = submission({
        ...on(meter),
        values: [{ zone: 'T1', value: '00110.500' }],
        readAt: '2026-11-20T10:00:00+03:00',
      });
      const duplicate = submission({
        ...on(meter),
        values: [{ zone: 'T1', value: '110.500' }],
        readAt: '2026-11-20T10:00:00+03:00',
      });
      const decreased = submission({
        ...on(meter),
        values: [{ zone: 'T1', value: '00105.000' }],
        readAt: '2026-11-21T10:00:00+03:00',
        receivedAt: '2026-11-21T10:00:05.000+03:00',
      });
      const spike = submission({ ...on(spiky), values: [{ zone: 'T1', value: '00900.000' }] });
      const notOnAccount = submission({
        accountNumber: other.accountNumber,
        meterSerial: meter.serial,
        channel: 'cabinet',
      });
      await publish([accepted, duplicate, decreased, spike, notOnAccount]);

      const expected = (
        m: SubmissionMessage,
        decision: { status: string; reasons: string[]; warnings: string[] },
        billingPeriod: string | null,
      ) => ({
        submissionId: m.submissionId,
        channel: m.channel,
        ...decision,
        accountNumber: m.accountNumber,
        meterSerial: m.meterSerial,
        billingPeriod,
        values: m.values,
        readAt: expect.stringMatching(/\+03:00$/),
        receivedAt: expect.stringMatching(/\+03:00$/),
        // Published here without a `traceparent`, so no trace id was stored.
        traceId: null,
      });
      const none = { reasons: [], warnings: [] };
      const cases: [SubmissionMessage, object][] = [
        [accepted, expected(accepted, { status: 'accepted', ...none }, '2026-11')],
        [duplicate, expected(duplicate, { status: 'duplicate', ...none }, '2026-11')],
        [
          decreased,
          expected(
            decreased,
            { status: 'rejected', reasons: ['VALUE_DECREASED'], warnings: [] },
            '2026-11',
          ),
        ],
        [
          spike,
          expected(
            spike,
            { status: 'needs_review', reasons: ['CONSUMPTION_SPIKE'], warnings: [] },
            '2026-11',
          ),
        ],
        [
          notOnAccount,
          expected(
            notOnAccount,
            { status: 'rejected', reasons: ['METER_NOT_ON_ACCOUNT'], warnings: [] },
            null,
          ),
        ],
      ];
      for (const [message, body] of cases) {
        const res = await recorded(message.submissionId);
        expect(res.body).toEqual(body);
        expect(Date.parse(res.body.readAt)).toBe(Date.parse(message.readAt));
        expect(Date.parse(res.body.receivedAt)).toBe(Date.parse(message.receivedAt));
      }
    });

    it('answers 404 until the processor has recorded the submission, then shows it', async () => {
      const [meter] = await seedMeters(db, [registryRecord()]);
      const pending = submission({ accountNumber: meter.accountNumber, meterSerial: meter.serial });
      const before = await get(`/v1/submissions/${pending.submissionId}`).expect(404);
      expect(before.body).toEqual({
        statusCode: 404,
        error: 'NOT_FOUND',
        message: `submission ${pending.submissionId} not found`,
      });
      await publish([pending]);
      const after = await recorded(pending.submissionId);
      expect(after.body.status).toBe('accepted');
    });

    it('answers 404 for an id never submitted, a UUID or not (no submission has any other id)', async () => {
      await get(`/v1/submissions/${randomUUID()}`).expect(404);
      const malformed = await get('/v1/submissions/not-a-uuid').expect(404);
      expect(malformed.body.message).toBe(
        'submission not-a-uuid not found: submission ids are UUIDs',
      );
    });
  });

  describe('GET /v1/accounts/{accountNumber}/meters', () => {
    it("lists the account's meters with due date, verification status on today's Moscow date and last accepted values", async () => {
      const account = uniqueAccount();
      const dueSoonOn = moscowDay(10);
      // Read once: the day may change while the reading is decided, and the row holds this one.
      const decommissionedOn = moscowDay(-1);
      const [valid, dueSoon, expired, removed] = await seedMeters(db, [
        registryRecord({
          account_number: account,
          serial: `${account}-A`,
          initial_t1: '00100.000',
        }),
        registryRecord({
          account_number: account,
          serial: `${account}-B`,
          verified_on: formatDate(addMonths(parseDate(dueSoonOn), -12)),
          verification_interval_months: '12',
        }),
        registryRecord({
          account_number: account,
          serial: `${account}-C`,
          resource: 'electricity',
          zones: '2',
          integer_digits: '6',
          fraction_digits: '1',
          verified_on: '2015-01-01',
          verification_interval_months: '72',
          initial_t1: '012345.6',
          initial_t2: '001234.5',
        }),
        registryRecord({
          account_number: account,
          serial: `${account}-D`,
          decommissioned_on: decommissionedOn,
          initial_t1: '',
          initial_on: '',
        }),
      ]);
      const reading = submission({
        accountNumber: account,
        meterSerial: valid.serial,
        values: [{ zone: 'T1', value: '112.5' }],
      });
      await publish([reading]);
      await recorded(reading.submissionId);

      const res = await get(`/v1/accounts/${account}/meters`).expect(200);
      const initial = (values: { zone: string; value: string }[]) => ({
        readAt: '2026-10-20T00:00:00.000+03:00',
        billingPeriod: null,
        values,
      });
      const common = {
        resource: 'cold_water',
        zones: 1,
        integerDigits: 5,
        fractionDigits: 3,
        installedOn: '2024-01-10',
        decommissionedOn: null,
      };
      expect(res.body).toEqual({
        accountNumber: account,
        meters: [
          {
            ...common,
            serial: valid.serial,
            verifiedOn: '2024-01-10',
            verificationDueOn: '2030-01-10',
            verificationStatus: 'valid',
            lastAccepted: {
              readAt: '2026-11-20T10:00:00.000+03:00',
              billingPeriod: '2026-11',
              values: [{ zone: 'T1', value: '112.500' }],
            },
          },
          {
            ...common,
            serial: dueSoon.serial,
            verifiedOn: dueSoon.verifiedOn,
            verificationDueOn: dueSoon.verificationDueOn,
            verificationStatus: 'due_soon',
            lastAccepted: initial([{ zone: 'T1', value: '100.000' }]),
          },
          {
            ...common,
            serial: expired.serial,
            resource: 'electricity',
            zones: 2,
            integerDigits: 6,
            fractionDigits: 1,
            verifiedOn: '2015-01-01',
            verificationDueOn: '2021-01-01',
            verificationStatus: 'expired',
            lastAccepted: initial([
              { zone: 'T1', value: '12345.6' },
              { zone: 'T2', value: '1234.5' },
            ]),
          },
          {
            ...common,
            serial: removed.serial,
            verifiedOn: '2024-01-10',
            verificationDueOn: '2030-01-10',
            verificationStatus: 'decommissioned',
            decommissionedOn,
            lastAccepted: null,
          },
        ],
      });
    });

    it('answers 404 for an account not in the registry and 400 for a malformed account number', async () => {
      const unknown = await get(`/v1/accounts/${uniqueAccount()}/meters`).expect(404);
      expect(unknown.body.message).toMatch(/^account \d{10} not found$/);
      for (const bad of ['12345', '12345678901', 'abcdefghij', '50012345%2067']) {
        const res = await get(`/v1/accounts/${bad}/meters`).expect(400);
        expect(res.body.message).toEqual(['accountNumber must be 10 digits']);
      }
    });
  });

  describe('GET /v1/meters/{serial}/readings', () => {
    let meter: { accountNumber: string; serial: string };
    const history: Record<string, SubmissionMessage> = {};

    beforeAll(async () => {
      const [registered, other] = await seedMeters(db, [
        registryRecord({ initial_t1: '00100.000', initial_on: '2026-08-01' }),
        registryRecord(),
      ]);
      meter = registered;
      const at = (readAt: string, value: string, extra: Partial<SubmissionMessage> = {}) =>
        submission({
          accountNumber: meter.accountNumber,
          meterSerial: meter.serial,
          values: [{ zone: 'T1', value }],
          readAt,
          receivedAt: readAt.replace(':00+03:00', ':05.000+03:00'),
          ...extra,
        });
      Object.assign(history, {
        september: at('2026-09-20T10:00:00+03:00', '00105.000'),
        october: at('2026-10-20T10:00:00+03:00', '00110.000'),
        november: at('2026-11-20T10:00:00+03:00', '00115.000'),
        decreased: at('2026-11-21T10:00:00+03:00', '00100.000', { channel: 'payment-terminal' }),
        // Rejected before a billing period is assigned: listed in the month it was read.
        wrongAccount: at('2026-11-22T10:00:00+03:00', '00116.000', {
          accountNumber: other.accountNumber,
        }),
      });
      await publish(Object.values(history));
      for (const m of Object.values(history)) await recorded(m.submissionId);
    });

    const ids = (res: request.Response) =>
      res.body.readings.map((r: { submissionId: string }) => r.submissionId);

    it('lists every reading of the meter, oldest first, with its status and decision', async () => {
      const res = await get(`/v1/meters/${encodeURIComponent(meter.serial)}/readings`).expect(200);
      expect(res.body).toMatchObject({
        serial: meter.serial,
        accountNumber: meter.accountNumber,
        from: null,
        to: null,
      });
      expect(
        res.body.readings.map((r: Record<string, unknown>) => [
          r.status,
          r.reasons,
          r.billingPeriod,
          r.consumption,
        ]),
      ).toEqual([
        ['accepted', [], '2026-09', [{ zone: 'T1', value: '5.000' }]],
        ['accepted', [], '2026-10', [{ zone: 'T1', value: '5.000' }]],
        ['accepted', [], '2026-11', [{ zone: 'T1', value: '5.000' }]],
        ['rejected', ['VALUE_DECREASED'], '2026-11', []],
        ['rejected', ['METER_NOT_ON_ACCOUNT'], null, []],
      ]);
      expect(ids(res)).toEqual(Object.values(history).map((m) => m.submissionId));
      // Each reading names the account it was submitted for: another for METER_NOT_ON_ACCOUNT.
      expect(res.body.readings.map((r: { accountNumber: string }) => r.accountNumber)).toEqual(
        Object.values(history).map((m) => m.accountNumber),
      );
      expect(res.body.readings.at(-1).accountNumber).not.toBe(meter.accountNumber);
      expect(res.body.readings[3]).toEqual({
        submissionId: history.decreased.submissionId,
        channel: 'payment-terminal',
        accountNumber: meter.accountNumber,
        status: 'rejected',
        reasons: ['VALUE_DECREASED'],
        warnings: [],
        billingPeriod: '2026-11',
        values: [{ zone: 'T1', value: '00100.000' }],
        consumption: [],
        readAt: '2026-11-21T10:00:00.000+03:00',
        receivedAt: '2026-11-21T10:00:05.000+03:00',
        decidedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+03:00$/),
      });
    });

    it('limits the list to the billing periods from..to, either end open', async () => {
      const path = `/v1/meters/${encodeURIComponent(meter.serial)}/readings`;
      const { september, october, november, decreased, wrongAccount } = history;
      const cases: [string, SubmissionMessage[]][] = [
        ['?from=2026-10&to=2026-10', [october]],
        ['?from=2026-09&to=2026-10', [september, october]],
        ['?from=2026-11', [november, decreased, wrongAccount]],
        ['?to=2026-09', [september]],
        ['?from=2026-12', []],
        ['?from=2025-01&to=2025-12', []],
      ];
      for (const [query, expected] of cases) {
        const res = await get(`${path}${query}`).expect(200);
        expect({ query, ids: ids(res) }).toEqual({
          query,
          ids: expected.map((m) => m.submissionId),
        });
      }
      const bounded = await get(`${path}?from=2026-09&to=2026-10`).expect(200);
      expect(bounded.body).toMatchObject({ from: '2026-09', to: '2026-10' });
    });

    it('answers 400 naming the parameter for a malformed period or a range that runs backwards', async () => {
      const path = `/v1/meters/${encodeURIComponent(meter.serial)}/readings`;
      const cases: [string, string[]][] = [
        ['?from=2026-13', ['from must be a billing period YYYY-MM']],
        ['?from=2026-1', ['from must be a billing period YYYY-MM']],
        ['?to=11.2026', ['to must be a billing period YYYY-MM']],
        ['?to=2026-11-01', ['to must be a billing period YYYY-MM']],
        ['?from=', ['from must be a billing period YYYY-MM']],
        ['?from=2026-01&from=2026-02', ['from must be a billing period YYYY-MM']],
        ['?from=2026-11&to=2026-10', ['from must not be after to']],
      ];
      for (const [query, message] of cases) {
        const res = await get(`${path}${query}`);
        expect({ query, status: res.status, message: res.body.message }).toEqual({
          query,
          status: 400,
          message,
        });
      }
    });

    it('answers 404 for a meter not in the registry and 400 for a malformed serial', async () => {
      const unknown = await get('/v1/meters/NO-SUCH-METER/readings').expect(404);
      expect(unknown.body.message).toBe('meter NO-SUCH-METER not found');
      // Readings rejected as UNKNOWN_METER are stored, but the serial is still unknown to the registry.
      const stray = submission({ meterSerial: 'STRAY-1' });
      await publish([stray]);
      await recorded(stray.submissionId);
      await get('/v1/meters/STRAY-1/readings').expect(404);
      const long = await get(`/v1/meters/${'x'.repeat(33)}/readings`).expect(400);
      expect(long.body.message).toEqual(['serial must be 1 to 32 printable characters']);
      await get('/v1/meters/%20padded/readings').expect(400);
    });
  });

  it('documents every route with its DTOs and bearer auth at /docs-json, and serves /docs', async () => {
    const doc = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const ref = (op: { responses: Record<string, { content?: object }> }, status: string) =>
      JSON.stringify(op.responses[status]?.content ?? {});
    const login = doc.paths['/v1/auth/login'].post;
    expect(login.security).toBeUndefined();
    expect(JSON.stringify(login.requestBody)).toContain('LoginRequestDto');
    expect(ref(login, '200')).toContain('LoginResponseDto');
    expect(Object.keys(login.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '429']),
    );
    // A submission id that is not a UUID is an id never submitted: 404, not 400.
    const reads: [string, string, string[], string[]][] = [
      ['/v1/submissions/{submissionId}', 'SubmissionDto', ['submissionId'], []],
      ['/v1/accounts/{accountNumber}/meters', 'AccountMetersDto', ['accountNumber'], ['400']],
      ['/v1/meters/{serial}/readings', 'MeterReadingsDto', ['serial', 'from', 'to'], ['400']],
    ];
    for (const [path, dto, parameters, refusals] of reads) {
      const op = doc.paths[path].get;
      expect({ path, security: op.security }).toEqual({ path, security: [{ bearer: [] }] });
      expect(ref(op, '200')).toContain(dto);
      expect(Object.keys(op.responses).sort()).toEqual(
        ['200', ...refusals, '401', '403', '404', '429'].sort(),
      );
      expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(parameters.sort());
    }
    // The per-address gate runs before every route, so every operation may answer its 429.
    expectEveryOperationRateLimited(doc, '/v1/');
    expect(login.responses['429'].description).toContain('LOGIN_THROTTLED');
    expect(Object.keys(doc.components.schemas.SubmissionDto.properties)).toEqual([
      'submissionId',
      'channel',
      'status',
      'reasons',
      'warnings',
      'accountNumber',
      'meterSerial',
      'billingPeriod',
      'values',
      'readAt',
      'receivedAt',
      // Beyond contract 6: the trace id, documented in docs/integrators.md.
      'traceId',
    ]);
    // An approval with corrections stores the corrected values: every stored reading says so.
    for (const dto of ['SubmissionDto', 'MeterReadingDto', 'ReviewItemDto'])
      expect({ dto, values: doc.components.schemas[dto].properties.values.description }).toEqual({
        dto,
        values: expect.stringContaining('as corrected by an operator who approved it'),
      });
    expect(doc.components.schemas.AccountMeterDto.properties.verificationStatus.enum).toEqual([
      'valid',
      'due_soon',
      'expired',
      'decommissioned',
    ]);
    const page = await request(app.getHttpServer()).get('/docs').expect(200);
    expect(page.text).toContain('swagger');
  });
});
