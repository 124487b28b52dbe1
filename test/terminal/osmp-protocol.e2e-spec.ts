import type { INestApplication } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { eventually, testDatabase, testKafka } from '../support/infra';
import { startProcessor } from '../support/processor';
import { readAnswer } from './support/osmp-xml';
import {
  nextTxnId,
  paySubmissionId,
  seedAccount,
  type SeededAccount,
  twoMeterPay,
  twoMeterPayIds,
} from './support/osmp-fixtures';
import { SubmittedTap } from './support/submitted-tap';
import {
  addTerminal,
  startTerminalGateway,
  type TerminalCredentials,
} from './support/terminal-gateway';

const PATH = '/v1/terminal/osmp';
/** A thousand parameters the protocol ignores: the most Express's own query parser reads. */
const PADDING = Array.from({ length: 1000 }, (_, i) => `x${i}=`).join('&');

describe('terminal-gateway: OSMP check/pay/status through real Kafka and PostgreSQL', () => {
  let gateway: INestApplication;
  let processor: INestApplication;
  let db: DataSource;
  let kafka: Kafka;
  let tap: SubmittedTap;
  let terminal: TerminalCredentials;
  let otherTerminal: TerminalCredentials;
  let remoteOnly: TerminalCredentials;
  let localOnly: TerminalCredentials;

  const get = (params: Record<string, string>, as: TerminalCredentials = terminal) =>
    request(gateway.getHttpServer()).get(PATH).query(params).auth(as.login, as.password);
  const post = (params: Record<string, string>, as: TerminalCredentials = terminal) =>
    request(gateway.getHttpServer())
      .post(PATH)
      .type('form')
      .send(params)
      .auth(as.login, as.password);

  const payParams = (seeded: SeededAccount, txnId = nextTxnId()) => twoMeterPay(seeded, '0', txnId);

  const rowsOf = (ids: string[]) =>
    db.query(
      `SELECT submission_id, channel, source_id, source_ref, status, reasons, t1::text, t2::text, read_at
         FROM readings WHERE submission_id = ANY($1::uuid[]) ORDER BY source_ref`,
      [ids],
    );
  /** The rows of `ids` once the processor has stored all of them. */
  const storedRows = (ids: string[]) =>
    eventually(
      () => rowsOf(ids),
      (r) => r.length === ids.length,
    );
  const payIds = (seeded: SeededAccount, txnId: string) =>
    twoMeterPayIds(terminal.terminalId, seeded, txnId);
  const txnRow = async (terminalId: string, txnId: string) =>
    (
      await db.query(
        `SELECT status, prv_txn::text, sum::text FROM terminal_txns WHERE terminal_id = $1 AND txn_id = $2`,
        [terminalId, txnId],
      )
    )[0] ?? null;

  beforeAll(async () => {
    db = await testDatabase();
    kafka = testKafka('e2e-terminal');
    const run = process.env.E2E_RUN_ID as string;
    [terminal, otherTerminal, remoteOnly, localOnly] = await Promise.all([
      addTerminal(`T-${run}`),
      addTerminal(`T-${run}-other`),
      addTerminal(`T-${run}-remote`, ['10.0.0.0/8']),
      addTerminal(`T-${run}-local`, ['10.0.0.0/8', '127.0.0.1']),
    ]);
    tap = await SubmittedTap.open(kafka, [terminal.terminalId, otherTerminal.terminalId]);
    // Only what this run publishes: the shared broker's topic holds every earlier run's history.
    processor = await startProcessor({ PROCESSOR_FROM_BEGINNING: 'false' });
    gateway = await startTerminalGateway();
  });

  afterAll(async () => {
    await gateway?.close();
    await processor?.close();
    await tap?.close();
    await db?.destroy();
  });

  it('ctl terminal add prints terminalId, login and password, and keeps only a slow hash', async () => {
    expect(terminal).toEqual({
      terminalId: `T-${process.env.E2E_RUN_ID}`,
      login: `T-${process.env.E2E_RUN_ID}`,
      password: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
    });
    const [row] = await db.query(
      `SELECT password_hash, allowed_ips FROM terminals WHERE terminal_id = $1`,
      [localOnly.terminalId],
    );
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(localOnly.password);
    expect(row.allowed_ips).toEqual(['10.0.0.0/8', '127.0.0.1/32']);
  });

  it('serves health, metrics and its OpenAPI document', async () => {
    const server = gateway.getHttpServer();
    await request(server).get('/health/live').expect(200);
    await eventually(
      async () => (await request(server).get('/health/ready')).status,
      (status) => status === 200,
    );
    const docs = await request(server).get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths[PATH])).toEqual(['get', 'post']);
    expect(docs.body.paths[PATH].post.requestBody.content).toHaveProperty(
      'application/x-www-form-urlencoded',
    );
    // Every HTTP status the gateway answers with, for clients generated from the document.
    for (const method of ['get', 'post'])
      expect(Object.keys(docs.body.paths[PATH][method].responses).sort()).toEqual([
        '200',
        '400',
        '401',
        '413',
        '415',
        '429',
      ]);
    await get({ command: 'check', txn_id: '1', account: '0000000000', sum: '0' });
    expect((await request(server).get('/metrics')).text).toContain('terminal_osmp_requests_total');
  });

  it('documents an example answer of each command, with the elements it really has', async () => {
    const docs = await request(gateway.getHttpServer()).get('/docs-json').expect(200);
    const seeded = await seedAccount(db);
    const paid = payParams(seeded);
    const check = { command: 'check', txn_id: nextTxnId(), account: seeded.account, sum: '0' };
    const answers = {
      check: (await get(check)).text,
      pay: (await get(paid)).text,
      status: (await get({ command: 'status', txn_id: paid.txn_id })).text,
    };
    /** The elements of an answer, and the attributes of its first meter or reading. */
    const shapeOf = (xml: string) => {
      const { order, items } = readAnswer(xml);
      return { order, attributes: Object.keys(items[0] ?? {}) };
    };
    for (const method of ['get', 'post']) {
      const { examples } = docs.body.paths[PATH][method].responses['200'].content['text/xml'];
      expect({
        check: shapeOf(examples.check.value),
        pay: shapeOf(examples.pay.value),
        status: shapeOf(examples.status.value),
      }).toEqual({
        check: shapeOf(answers.check),
        pay: shapeOf(answers.pay),
        status: shapeOf(answers.status),
      });
    }
  });

  it('counts a refused request under its command as it is read, trimmed', async () => {
    const sample = /^terminal_osmp_requests_total\{command="pay",result="4"\} (\d+)$/m;
    const counted = async () => {
      const metrics = (await request(gateway.getHttpServer()).get('/metrics')).text;
      return Number(sample.exec(metrics)?.[1] ?? 0);
    };
    const before = await counted();
    const res = await get({ command: ' pay ', txn_id: nextTxnId(), account: '12', sum: '0' });
    expect(readAnswer(res.text).fields.result).toBe('4');
    expect(await counted()).toBe(before + 1);
  });

  describe('authentication', () => {
    const check = { command: 'check', txn_id: '1', account: '0000000001', sum: '0' };

    it.each([
      ['no credentials', () => request(gateway.getHttpServer()).get(PATH).query(check)],
      ['a wrong password', () => get(check, { ...terminal, password: 'wrong' })],
      ['an unknown login', () => get(check, { ...terminal, login: 'no-such-terminal' })],
      [
        'another terminal’s password',
        () => get(check, { ...terminal, password: otherTerminal.password }),
      ],
      [
        'a malformed Authorization header',
        () =>
          request(gateway.getHttpServer()).get(PATH).query(check).set('Authorization', 'Basic !!!'),
      ],
      ['right credentials from an address off the allow-list', () => get(check, remoteOnly)],
    ])('%s gives HTTP 401 with an XML body', async (_name, send) => {
      const res = await send();
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm="terminal-gateway"/);
      expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
      expect(readAnswer(res.text).fields).toMatchObject({
        result: '300',
        comment: 'wrong terminal credentials',
      });
    });

    it('lets a terminal in from an address on its allow-list', async () => {
      const res = await get(check, localOnly).expect(200);
      expect(readAnswer(res.text).fields.result).toBe('5');
    });

    it('refuses a terminal added with no allow-list outside development mode, and one added with --allow-any from anywhere is let in', async () => {
      const production = await startTerminalGateway({ GATEWAY_MODE: 'production' });
      try {
        const unlisted = await addTerminal(`T-${process.env.E2E_RUN_ID}-unlisted`, []);
        const anywhere = await addTerminal(`T-${process.env.E2E_RUN_ID}-anywhere`, 'any');
        const ask = (app: INestApplication, as: TerminalCredentials) =>
          request(app.getHttpServer()).get(PATH).query(check).auth(as.login, as.password);
        expect((await ask(production, unlisted)).status).toBe(401);
        expect((await ask(gateway, unlisted)).status).toBe(200);
        expect((await ask(production, anywhere)).status).toBe(200);
      } finally {
        await production.close();
      }
    });

    it('takes a new password from terminal add at once, though the old one was just verified', async () => {
      const before = await addTerminal(`T-${process.env.E2E_RUN_ID}-reset`);
      await get(check, before).expect(200);
      const after = await addTerminal(before.terminalId);
      expect(after.password).not.toBe(before.password);
      await get(check, before).expect(401);
      await get(check, after).expect(200);
    });

    it('queues and keeps nothing for a pay with wrong credentials', async () => {
      const seeded = await seedAccount(db);
      const params = payParams(seeded);
      await get(params, { ...terminal, password: 'wrong' }).expect(401);
      expect(await txnRow(terminal.terminalId, params.txn_id)).toBeNull();
      await tap.settle();
      expect(tap.count(paySubmissionId(terminal.terminalId, params.txn_id, 1, seeded.water))).toBe(
        0,
      );
    });
  });

  describe('check', () => {
    let seeded: SeededAccount;
    beforeAll(async () => {
      seeded = await seedAccount(db);
    });

    it.each(['GET', 'POST'])(
      'lists a known account’s meters with resource, zones and status (%s)',
      async (method) => {
        const params = { command: 'check', txn_id: '123456', account: seeded.account, sum: '0' };
        const res = await (method === 'GET' ? get(params) : post(params)).expect(200);
        expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
        expect(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<response>')).toBe(
          true,
        );
        const answer = readAnswer(res.text);
        expect(answer.order).toEqual(['osmp_txn_id', 'sum', 'result', 'comment', 'meters']);
        expect(answer.fields).toEqual({
          osmp_txn_id: '123456',
          sum: '0.00',
          result: '0',
          comment: 'OK',
        });
        const bySerial = Object.fromEntries(answer.items.map((m) => [m.serial, m]));
        expect(Object.keys(bySerial).sort()).toEqual(
          [
            seeded.water,
            seeded.electricity,
            seeded.dueSoon,
            seeded.expired,
            seeded.decommissioned,
          ].sort(),
        );
        expect(bySerial[seeded.water]).toMatchObject({
          resource: 'cold_water',
          zones: '1',
          status: 'valid',
          integer_digits: '5',
          fraction_digits: '3',
        });
        expect(bySerial[seeded.electricity]).toMatchObject({
          resource: 'electricity',
          zones: '2',
          status: 'valid',
          integer_digits: '6',
          fraction_digits: '1',
        });
        expect(bySerial[seeded.dueSoon]).toMatchObject({
          resource: 'hot_water',
          status: 'due_soon',
        });
        expect(bySerial[seeded.expired]).toMatchObject({ status: 'expired' });
        expect(bySerial[seeded.decommissioned]).toMatchObject({ status: 'decommissioned' });
      },
    );

    it.each([
      ['an unknown account', '0000000009', '5', 'account not found'],
      ['9 digits', '123456789', '4', 'account "123456789" must be 10 digits'],
      ['letters', 'ABCDEFGHIJ', '4', 'account "ABCDEFGHIJ" must be 10 digits'],
      ['no account', '', '4', 'account is required'],
    ])('answers %s (account %j) with result %s', async (_name, account, result, comment) => {
      const res = await get({ command: 'check', txn_id: '77', account, sum: '10,5' }).expect(200);
      expect(readAnswer(res.text).fields).toEqual({
        osmp_txn_id: '77',
        sum: '10.50',
        result,
        comment,
      });
    });

    it.each([
      [{ command: 'check', account: '0000000001', sum: '0' }, 'txn_id is required'],
      [
        { command: 'check', txn_id: '1x', account: '0000000001', sum: '0' },
        'txn_id "1x" must be 1 to 20 digits',
      ],
      [{ command: 'check', txn_id: '1', account: '0000000001' }, 'sum is required'],
      [{ txn_id: '1' }, 'command is required'],
      [{ command: 'refund', txn_id: '1' }, 'unknown command "refund": use check, pay, status'],
    ])('answers 300 naming the problem: %j', async (params, comment) => {
      const res = await get(params).expect(200);
      expect(readAnswer(res.text).fields).toMatchObject({ result: '300', comment });
    });

    it('answers 300 when a parameter is given twice', async () => {
      const res = await request(gateway.getHttpServer())
        .get(`${PATH}?command=check&txn_id=1&sum=0&account=0000000001&account=0000000002`)
        .auth(terminal.login, terminal.password)
        .expect(200);
      expect(readAnswer(res.text).fields).toMatchObject({
        result: '300',
        comment: 'parameter "account" given more than once',
      });
    });

    it('answers 300 for a parameter given twice with a thousand others between', async () => {
      const res = await request(gateway.getHttpServer())
        .get(`${PATH}?command=check&txn_id=1&sum=0&account=0000000001&${PADDING}&account=2`)
        .auth(terminal.login, terminal.password)
        .expect(200);
      expect(readAnswer(res.text).fields).toMatchObject({
        result: '300',
        comment: 'parameter "account" given more than once',
      });
    });
  });

  describe('pay', () => {
    it('stores water and two-zone electricity readings once, accepted, and answers 0 with prv_txn', async () => {
      const seeded = await seedAccount(db);
      const params = payParams(seeded);
      const res = await get(params).expect(200);
      const answer = readAnswer(res.text);
      expect(answer.order).toEqual(['osmp_txn_id', 'prv_txn', 'sum', 'result', 'comment']);
      expect(answer.fields).toEqual({
        osmp_txn_id: params.txn_id,
        prv_txn: expect.stringMatching(/^\d+$/),
        sum: '0.00',
        result: '0',
        comment: 'OK',
      });
      const ids = payIds(seeded, params.txn_id);
      const rows = await storedRows(ids);
      const d = params.txn_date;
      const readAt = new Date(
        `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12, 14)}+03:00`,
      );
      expect(rows).toEqual([
        expect.objectContaining({
          channel: 'payment-terminal',
          source_id: terminal.terminalId,
          source_ref: `${params.txn_id}/1`,
          status: 'accepted',
          t1: '110.500000',
          t2: null,
          read_at: readAt,
        }),
        expect.objectContaining({
          channel: 'payment-terminal',
          source_id: terminal.terminalId,
          source_ref: `${params.txn_id}/2`,
          status: 'accepted',
          t1: '4600.500000',
          t2: '1900.000000',
          read_at: readAt,
        }),
      ]);
      expect(await txnRow(terminal.terminalId, params.txn_id)).toEqual({
        status: 'done',
        prv_txn: answer.fields.prv_txn,
        sum: '0.00',
      });
      await tap.settle();
      expect(ids.map((id) => tap.count(id))).toEqual([1, 1]);
    });

    it('reads a reading named after a thousand other parameters: both readings stored', async () => {
      const seeded = await seedAccount(db);
      const { meter2, t1_2, t2_2, ...first } = payParams(seeded);
      const query = new URLSearchParams(first).toString();
      const last = new URLSearchParams({ meter2, t1_2, t2_2 }).toString();
      const res = await request(gateway.getHttpServer())
        .get(`${PATH}?${query}&${PADDING}&${last}`)
        .auth(terminal.login, terminal.password)
        .expect(200);
      expect(readAnswer(res.text).fields).toMatchObject({ result: '0', comment: 'OK' });
      const ids = payIds(seeded, first.txn_id);
      const rows = await storedRows(ids);
      expect(rows.map((r: { t1: string; t2: string | null }) => [r.t1, r.t2])).toEqual([
        ['110.500000', null],
        ['4600.500000', '1900.000000'],
      ]);
    });

    it('refuses a pay naming a reading in upper case (300) and queues none of its readings', async () => {
      const seeded = await seedAccount(db);
      const { meter2, t1_2, t2_2, ...params } = payParams(seeded);
      const res = await get({ ...params, Meter2: meter2, T1_2: t1_2, T2_2: t2_2 }).expect(200);
      expect(readAnswer(res.text).fields).toMatchObject({
        result: '300',
        comment: 'parameter "Meter2": reading parameters are written in lower case (meter2)',
      });
      await tap.settle();
      expect(payIds(seeded, params.txn_id).map((id) => tap.count(id))).toEqual([0, 0]);
      expect(await txnRow(terminal.terminalId, params.txn_id)).toBeNull();
    });

    it.each([
      [
        'a POST',
        'text/plain',
        415,
        'post',
        'Content-Type must be application/x-www-form-urlencoded',
      ],
      [
        'a POST',
        'application/json',
        415,
        'post',
        'Content-Type must be application/x-www-form-urlencoded',
      ],
      [
        'a GET',
        'application/x-www-form-urlencoded',
        200,
        'get',
        'a GET carries its parameters in the query string: send a form body with POST',
      ],
    ] as const)(
      'refuses %s with a %s body (HTTP %s, result 300) rather than pay with the query alone',
      async (_name, type, status, method, comment) => {
        const seeded = await seedAccount(db);
        const { meter2, t1_2, t2_2, ...params } = payParams(seeded);
        const readings = { meter2, t1_2, t2_2 };
        const body =
          type === 'application/json'
            ? JSON.stringify(readings)
            : new URLSearchParams(readings).toString();
        const server = request(gateway.getHttpServer());
        const res = await server[method](`${PATH}?${new URLSearchParams(params).toString()}`)
          .set('Content-Type', type)
          .send(body)
          .auth(terminal.login, terminal.password)
          .expect(status);
        expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
        expect(readAnswer(res.text).fields).toMatchObject({ result: '300', comment });
        await tap.settle();
        expect(payIds(seeded, params.txn_id).map((id) => tap.count(id))).toEqual([0, 0]);
        expect(await txnRow(terminal.terminalId, params.txn_id)).toBeNull();
      },
    );

    it('answers a repeated pay with the same prv_txn and queues nothing', async () => {
      const seeded = await seedAccount(db);
      const params = payParams(seeded);
      const first = readAnswer((await get(params).expect(200)).text).fields;
      expect(first.result).toBe('0');
      // The same parameters however sent: GET again, form POST, dot for comma, empty zone fields.
      const repeats = [
        await get(params),
        await post(params),
        await get({ ...params, t1_1: '00110.500', t2_2: '1900.0', t3_2: '', sum: '0.00' }),
      ];
      for (const repeat of repeats) expect(readAnswer(repeat.text).fields).toEqual(first);
      const ids = payIds(seeded, params.txn_id);
      await storedRows(ids);
      await tap.settle();
      expect(ids.map((id) => tap.count(id))).toEqual([1, 1]);
    });

    it('answers the same pay sent several times at once with one prv_txn, and queues it once', async () => {
      for (let round = 0; round < 3; round += 1) {
        const seeded = await seedAccount(db);
        const params = payParams(seeded);
        const answers = await Promise.all(
          [get, post, get, post, get, post].map(
            async (send) => readAnswer((await send(params)).text).fields,
          ),
        );
        expect(answers[0]).toMatchObject({ result: '0', comment: 'OK' });
        for (const answer of answers) expect(answer).toEqual(answers[0]);
        expect(await txnRow(terminal.terminalId, params.txn_id)).toEqual({
          status: 'done',
          prv_txn: answers[0].prv_txn,
          sum: '0.00',
        });
        const ids = payIds(seeded, params.txn_id);
        await storedRows(ids);
        await tap.settle();
        expect(ids.map((id) => tap.count(id))).toEqual([1, 1]);
      }
    });

    it('refuses the same txn_id with different parameters: 300 "txn_id reused", nothing queued', async () => {
      const seeded = await seedAccount(db);
      const params = payParams(seeded);
      const first = readAnswer((await get(params).expect(200)).text).fields;
      for (const change of [
        { t1_1: '00111,000' },
        { account: '0000000001' },
        { sum: '5.00' },
        { meter2: '', t1_2: '', t2_2: '' },
      ]) {
        const res = await get({ ...params, ...change }).expect(200);
        expect(readAnswer(res.text).fields).toEqual({
          osmp_txn_id: params.txn_id,
          result: '300',
          comment: 'txn_id reused',
          ...('sum' in change ? { sum: '5.00' } : { sum: '0.00' }),
        });
      }
      expect(readAnswer((await get(params)).text).fields).toEqual(first);
      const ids = [paySubmissionId(terminal.terminalId, params.txn_id, 1, seeded.water)];
      const [row] = await storedRows(ids);
      expect(row.t1).toBe('110.500000');
      await tap.settle();
      expect(tap.count(ids[0])).toBe(1);
    });

    it('keeps the same txn_id of two terminals apart', async () => {
      const seeded = await seedAccount(db);
      const params = payParams(seeded);
      const mine = readAnswer((await get(params)).text).fields;
      const theirs = readAnswer(
        (await get({ ...params, t1_1: '00111' }, otherTerminal)).text,
      ).fields;
      expect([mine.result, theirs.result]).toEqual(['0', '0']);
      expect(mine.prv_txn).not.toBe(theirs.prv_txn);
    });

    it.each([
      [
        'a value that is not a decimal',
        { t1_1: '12a' },
        '7',
        't1_1 "12a" is not a non-negative decimal',
      ],
      ['a negative value', { t2_2: '-5' }, '7', 't2_2 "-5" is not a non-negative decimal'],
      [
        'two decimal separators',
        { t1_1: '1,2.3' },
        '7',
        't1_1 "1,2.3" is not a non-negative decimal',
      ],
      [
        'a two-zone meter without its night value',
        { t2_2: '' },
        '7',
        'has 2 tariff zone(s): give t1_2, t2_2',
      ],
      ['a water meter with a night value', { t2_1: '5' }, '7', 'has 1 tariff zone(s): give t1_1'],
      [
        'a meter of another account',
        { meter1: 'NOT-ON-THIS-ACCOUNT' },
        '7',
        'meter1 "NOT-ON-THIS-ACCOUNT" is not a meter of this account',
      ],
      [
        'values without their meter',
        { t1_3: '5' },
        '7',
        'meter3 is required with t1_3, t2_3, t3_3',
      ],
      ['a meter without values', { t1_1: '' }, '7', 'has no value: give t1_1'],
      [
        'no readings at all',
        { meter1: '', t1_1: '', meter2: '', t1_2: '', t2_2: '' },
        '300',
        'no readings: give meter1 with t1_1 (and t2_1, t3_1)',
      ],
      ['an unknown account', { account: '0000000009' }, '5', 'account not found'],
      ['a malformed account', { account: '50012' }, '4', 'account "50012" must be 10 digits'],
      ['no txn_date', { txn_date: '' }, '300', 'txn_date is required'],
      [
        'an impossible txn_date',
        { txn_date: '20261131120000' },
        '300',
        'txn_date "20261131120000" must be YYYYMMDDHHMMSS, a real moment of the years 2000 to 2099',
      ],
      [
        'a txn_date in year 0000',
        { txn_date: '00001205100000' },
        '300',
        'txn_date "00001205100000" must be YYYYMMDDHHMMSS, a real moment of the years 2000 to 2099',
      ],
      ['a malformed sum', { sum: '1.234' }, '300', 'sum "1.234" must be an amount such as 0.00'],
    ])(
      'refuses %s (%j): result %s, nothing kept or queued',
      async (_name, change, result, comment) => {
        const seeded = await seedAccount(db);
        const params = { ...payParams(seeded), ...change };
        const answer = readAnswer((await get(params).expect(200)).text).fields;
        expect(answer).toMatchObject({ osmp_txn_id: params.txn_id, result });
        expect(answer.comment).toContain(comment);
        expect(answer).not.toHaveProperty('prv_txn');
        expect(await txnRow(terminal.terminalId, params.txn_id)).toBeNull();
        await tap.settle();
        expect(
          tap.count(paySubmissionId(terminal.terminalId, params.txn_id, 1, seeded.water)),
        ).toBe(0);
      },
    );
  });

  describe('status: how a terminal learns the processor’s decisions', () => {
    const status = (txnId: string, as = terminal) =>
      get({ command: 'status', txn_id: txnId }, as).expect(200);

    it('reports each reading queued, then accepted or rejected with its reasons', async () => {
      const seeded = await seedAccount(db);
      // 50 after 100 is neither a plausible rollover nor an increase: the processor rejects it.
      const params = { ...payParams(seeded), t1_1: '50' };
      const paid = readAnswer((await get(params)).text).fields;
      expect(paid.result).toBe('0');
      const decided = await eventually(
        async () => readAnswer((await status(params.txn_id)).text),
        (a) => a.items.every((r) => r.status !== 'queued'),
      );
      expect(decided.fields).toEqual({
        osmp_txn_id: params.txn_id,
        prv_txn: paid.prv_txn,
        sum: '0.00',
        result: '0',
        comment: 'OK',
      });
      expect(decided.items).toEqual([
        {
          meter: '1',
          serial: seeded.water,
          submission_id: paySubmissionId(terminal.terminalId, params.txn_id, 1, seeded.water),
          status: 'rejected',
          reasons: 'VALUE_DECREASED',
          warnings: '',
          billing_period: expect.stringMatching(/^\d{4}-\d{2}$/),
        },
        {
          meter: '2',
          serial: seeded.electricity,
          submission_id: paySubmissionId(terminal.terminalId, params.txn_id, 2, seeded.electricity),
          status: 'accepted',
          reasons: '',
          warnings: expect.any(String),
          billing_period: expect.stringMatching(/^\d{4}-\d{2}$/),
        },
      ]);
    });

    it('answers 300 for a txn_id it does not know, or that another terminal used', async () => {
      const seeded = await seedAccount(db);
      const params = payParams(seeded);
      await get(params, otherTerminal).expect(200);
      for (const txnId of [nextTxnId(), params.txn_id]) {
        expect(readAnswer((await status(txnId)).text).fields).toEqual({
          osmp_txn_id: txnId,
          result: '300',
          comment: 'unknown txn_id',
        });
      }
    });
  });

  describe('hostile characters come back escaped', () => {
    const HOSTILE = `<b a="1">Ж&amp;'x'</b>]]>\u0001`;
    /** What a parser reads back: XML cannot carry U+0001, so it arrives as U+FFFD. */
    const READ_BACK = HOSTILE.replace('\u0001', '\uFFFD');

    it.each([
      ['command', '300'],
      ['txn_id', '300'],
      ['account', '4'],
      ['sum', '300'],
      ['txn_date', '300'],
      ['meter1', '7'],
      ['t1_1', '7'],
      ['t2_2', '7'],
      ['t3_2', '7'],
    ])('in %s (result %s), by GET and by POST', async (name, result) => {
      const seeded = await seedAccount(db);
      for (const send of [get, post]) {
        const params = { ...payParams(seeded), [name]: HOSTILE };
        const res = await send(params).expect(200);
        expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
        expect(res.text).not.toContain('<b a=');
        const answer = readAnswer(res.text);
        expect(answer.fields.result).toBe(result);
        expect(`${answer.fields.osmp_txn_id}|${answer.fields.comment}`).toContain(READ_BACK);
      }
    });

    it('in the name of a parameter given twice, and in one the protocol ignores', async () => {
      const seeded = await seedAccount(db);
      const name = encodeURIComponent(HOSTILE);
      const twice = await request(gateway.getHttpServer())
        .get(`${PATH}?command=check&txn_id=1&sum=0&account=${seeded.account}&${name}=1&${name}=2`)
        .auth(terminal.login, terminal.password)
        .expect(200);
      expect(readAnswer(twice.text).fields).toMatchObject({
        result: '300',
        comment: `parameter "${READ_BACK}" given more than once`,
      });
      const ignored = await get({ ...payParams(seeded), note: HOSTILE }).expect(200);
      expect(readAnswer(ignored.text).fields.result).toBe('0');
    });

    it('in a check’s account', async () => {
      const res = await get({ command: 'check', txn_id: '5', account: HOSTILE, sum: '0' }).expect(
        200,
      );
      expect(readAnswer(res.text).fields).toEqual({
        osmp_txn_id: '5',
        sum: '0.00',
        result: '4',
        comment: `account "${READ_BACK}" must be 10 digits`,
      });
    });
  });
});
