import { TIMESTAMP_RULE, TOPICS } from '@gw/contracts';
import type { Kafka, Producer } from 'kafkajs';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { basic } from '../slips/slip-harness';
import { postBatch } from '../kiosk/kiosk-harness';
import { Edges } from '../support/edges';
import { submission } from '../support/factories';
import { eventually, testKafka, TopicTap } from '../support/infra';
import { readAnswer } from '../terminal/support/osmp-xml';

jest.setTimeout(300_000);

const OSMP = '/v1/terminal/osmp';
const YEAR_0000 = '0000-12-05T10:00:00+03:00';

/** JSON arrays `levels` deep. */
const deepJson = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

describe('hostile input at every HTTP edge: a 4xx in the edge’s own format, never a 5xx', () => {
  let edges: Edges;
  let kafka: Kafka;
  let producer: Producer;

  const http = (name: Parameters<Edges['app']>[0]) => request(edges.app(name).getHttpServer());
  const bearer = () => ({ Authorization: `Bearer ${edges.operator.token}` });
  const terminalAuth = () => basic(edges.terminal);
  const osmpXml = (res: request.Response) => {
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    return readAnswer(res.text).fields;
  };

  beforeAll(async () => {
    edges = await Edges.start();
    kafka = testKafka('e2e-hostile');
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await edges?.stop();
  });

  afterEach(async () => {
    for (const name of ['kiosk', 'terminal', 'cabinet', 'slips', 'backoffice'] as const)
      await http(name).get('/health/ready').expect(200);
  });

  describe('dates outside the years 2000 to 2099', () => {
    it('kiosk: a year-0000 readAt makes the item invalid, naming readAt; nothing is queued', async () => {
      const submitted = await TopicTap.open(kafka, TOPICS.submitted);
      try {
        const batchId = `hostile-${process.env.E2E_RUN_ID}`;
        const item = (seq: number, readAt: string) => ({
          seq,
          accountNumber: edges.account.accountNumber,
          meterSerial: edges.account.serial,
          values: [{ zone: 'T1', value: '00000101.000' }],
          readAt,
        });
        const res = await postBatch(edges.app('kiosk'), edges.kiosk, {
          batchId,
          items: [item(1, YEAR_0000), item(2, new Date().toISOString())],
        }).expect(202);
        expect(res.body.items).toEqual([
          { seq: 1, status: 'invalid', errors: [`readAt ${TIMESTAMP_RULE}`] },
          { seq: 2, status: 'queued', submissionId: expect.any(String) },
        ]);
        // The valid item shares the account's partition: once it is on the topic, the invalid
        // one would be there too had it been queued.
        const queued = await submitted.waitFor<{ submissionId: string }>(
          (all) => all.filter((m) => m.submissionId === res.body.items[1].submissionId),
          1,
        );
        expect(queued).toHaveLength(1);
        const ofBatch = submitted
          .json<{ source: { ref: string } }>()
          .filter((m) => m.source.ref.startsWith(`${batchId}/`));
        expect(ofBatch.map((m) => m.source.ref)).toEqual([`${batchId}/2`]);
      } finally {
        await submitted.close();
      }
    });

    it('terminal: pay with txn_date=00001205100000 is refused in XML naming txn_date', async () => {
      const res = await http('terminal')
        .post(OSMP)
        .set('Authorization', terminalAuth())
        .type('form')
        .send({
          command: 'pay',
          txn_id: `${Date.now()}`,
          txn_date: '00001205100000',
          account: edges.account.accountNumber,
          sum: '0',
          meter1: edges.account.serial,
          t1_1: '00000101.000',
        })
        .expect(200);
      const answer = osmpXml(res);
      expect(answer.result).toBe('300');
      expect(answer.comment).toMatch(/^txn_date "00001205100000" must be YYYYMMDDHHMMSS/);
    });

    it('back office: verification, statistics and audit dates of year 0000 are a 400 naming the field', async () => {
      const verification = await http('backoffice')
        .post(`/v1/meters/${encodeURIComponent(edges.account.serial)}/verifications`)
        .set(bearer())
        .send({ verifiedOn: '0000-12-05', intervalMonths: 72, certificateNo: 'C-1' })
        .expect(400);
      expect(JSON.stringify(verification.body.message)).toContain('verifiedOn');
      const stats = await http('backoffice')
        .get('/v1/stats/channels?from=0000-01-01&to=2026-01-01')
        .set(bearer())
        .expect(400);
      expect(JSON.stringify(stats.body.message)).toContain('from');
      const audit = await http('backoffice')
        .get(`/v1/audit?to=${encodeURIComponent(YEAR_0000)}`)
        .set(bearer())
        .expect(400);
      expect(audit.body.message).toEqual([`to ${TIMESTAMP_RULE}`]);
      const readings = await http('backoffice')
        .get(`/v1/meters/${encodeURIComponent(edges.account.serial)}/readings?from=0000-01`)
        .set(bearer())
        .expect(400);
      expect(JSON.stringify(readings.body.message)).toContain('from');
    });

    it('back office web UI: a dashboard month of year 0000 is a 400 page naming month', async () => {
      const res = await http('backoffice')
        .get('/dashboard?month=0000-01')
        .set('Cookie', `bo_session=${edges.operator.token}`)
        .expect(400);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain(
        'Месяц (month) указан неверно: год и месяц с 2000 по 2099, например 2026-10.',
      );
    });

    it('cabinet: a history period of year 9999 is a 400 naming period', async () => {
      const res = await http('cabinet')
        .get(`/v1/cabinet/accounts/${edges.account.accountNumber}/readings?period=9999-12`)
        .set(edges.resident.auth)
        .expect(400);
      expect(JSON.stringify(res.body.message)).toContain('period');
    });

    it('processor: a year-0000 message goes to the DLQ as undecodable; a later one of its partition is decided', async () => {
      const dlq = await TopicTap.open(kafka, TOPICS.submittedDlq);
      try {
        const poison = submission({
          accountNumber: edges.account.accountNumber,
          readAt: YEAR_0000,
        });
        const valid = submission({
          accountNumber: edges.account.accountNumber,
          meterSerial: edges.account.serial,
          values: [{ zone: 'T1', value: '00000100.500' }],
          readAt: new Date().toISOString(),
          receivedAt: new Date().toISOString(),
        });
        await producer.send({
          topic: TOPICS.submitted,
          acks: -1,
          messages: [poison, valid].map((m) => ({
            key: m.accountNumber,
            value: JSON.stringify(m),
          })),
        });
        const [dead] = await eventually(
          async () => dlq.messages.filter((m) => m.value?.toString().includes(poison.submissionId)),
          (found) => found.length > 0,
        );
        expect(dead.headers['x-error']).toBe('UNDECODABLE');
        expect(dead.headers['x-error-reason']).toBe(`readAt ${TIMESTAMP_RULE}`);
        await eventually(
          () => edges.decided([valid.submissionId]),
          (ids) => ids.length === 1,
        );
      } finally {
        await dlq.close();
      }
    });
  });

  describe('bodies over the limits', () => {
    it('cabinet: a 200 KB e-mail and 331 KB of readings are a 413', async () => {
      const mail = await http('cabinet')
        .post('/v1/cabinet/sessions')
        .send({ email: `${'a'.repeat(200 * 1024)}@example.ru` })
        .expect(413);
      expect(mail.body).toMatchObject({ statusCode: 413 });
      const readings = Array.from({ length: 3000 }, (_, i) => ({
        meterSerial: `S-${i}`,
        values: [{ zone: 'T1', value: '00000101.000000000000000000000000000000000000000000000' }],
      }));
      expect(JSON.stringify({ readings }).length).toBeGreaterThan(300 * 1024);
      await http('cabinet')
        .post(`/v1/cabinet/accounts/${edges.account.accountNumber}/readings`)
        .set(edges.resident.auth)
        .send({ readings })
        .expect(413);
    });

    it('back office: a 200 KB comment and a 110 KB login are a 413', async () => {
      await http('backoffice')
        .post(`/v1/review/${submission().submissionId}/reject`)
        .set(bearer())
        .send({ comment: 'x'.repeat(200 * 1024), reasons: ['VALUE_FORMAT'] })
        .expect(413);
      const res = await http('backoffice')
        .post('/v1/auth/login')
        .send({ login: 'x'.repeat(110 * 1024), password: 'p' })
        .expect(413);
      expect(res.body).toMatchObject({ statusCode: 413 });
    });

    it('terminal: a 70 KB form and a form of 1,001 fields are a 413 in XML', async () => {
      const big = await http('terminal')
        .post(OSMP)
        .set('Authorization', terminalAuth())
        .type('form')
        .send({ command: 'check', txn_id: '1', account: 'x'.repeat(70 * 1024), sum: '0' })
        .expect(413);
      expect(osmpXml(big)).toMatchObject({
        result: '300',
        comment: 'the body is larger than 32768 bytes',
      });
      const fields = Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&');
      const many = await http('terminal')
        .post(OSMP)
        .set('Authorization', terminalAuth())
        .type('form')
        .send(`command=check&txn_id=2&${fields}`)
        .expect(413);
      expect(osmpXml(many).comment).toBe('the form has too many fields');
    });
  });

  describe('compressed bodies', () => {
    it('terminal: a gzip form that does not decompress is a 400 in XML; one that does is read', async () => {
      const corrupt = await http('terminal')
        .post(OSMP)
        .set('Authorization', terminalAuth())
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .set('Content-Encoding', 'gzip')
        .send('command=check&txn_id=4')
        .expect(400);
      expect(osmpXml(corrupt)).toMatchObject({
        result: '300',
        comment:
          'the body could not be decompressed as its Content-Encoding says: it is corrupt or cut short',
      });
      const form = 'command=check&txn_id=5&account=0000000009&sum=0';
      const cutShort = await http('terminal')
        .post(OSMP)
        .set('Authorization', terminalAuth())
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .set('Content-Encoding', 'gzip')
        .serialize((bytes) => bytes)
        .send(gzipSync(form).subarray(0, 20))
        .expect(400);
      expect(osmpXml(cutShort).result).toBe('300');
      const whole = await http('terminal')
        .post(OSMP)
        .set('Authorization', terminalAuth())
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .set('Content-Encoding', 'gzip')
        .serialize((bytes) => bytes) // as they are: superagent would re-encode a form's bytes
        .send(gzipSync(form))
        .expect(200);
      expect(osmpXml(whole)).toMatchObject({ osmp_txn_id: '5', result: '5' });
    });

    it('cabinet and back office: JSON that does not decompress is a 400', async () => {
      for (const [name, path] of [
        ['cabinet', '/v1/cabinet/sessions'],
        ['backoffice', '/v1/auth/login'],
      ] as const) {
        const res = await http(name)
          .post(path)
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', 'deflate')
          .send('{"email":"a@example.org"}')
          .expect(400);
        expect(res.body.message).toBe(
          'the body could not be decompressed as its Content-Encoding says: it is corrupt or cut short',
        );
      }
    });
  });

  describe('JSON nested 10,000 to 40,000 levels', () => {
    it.each([10_000, 40_000])(
      'cabinet and back office answer %s levels with a 400',
      async (levels) => {
        const cabinet = await http('cabinet')
          .post('/v1/cabinet/sessions')
          .type('json')
          .send(`{"email":${deepJson(levels)}}`)
          .expect(400);
        expect(cabinet.body.message).toMatch(/nested deeper than/);
        await http('cabinet')
          .post(`/v1/cabinet/accounts/${edges.account.accountNumber}/readings`)
          .set(edges.resident.auth)
          .type('json')
          .send(`{"readings":${deepJson(levels)}}`)
          .expect(400);
        const backoffice = await http('backoffice')
          .post('/v1/auth/login')
          .type('json')
          .send(`{"login":${deepJson(levels)},"password":"p"}`)
          .expect(400);
        expect(backoffice.body.message).toMatch(/^body\.login(\[0\])+ is nested deeper than/);
      },
    );
  });

  describe('unsupported charsets', () => {
    it('terminal: a windows-1251 form is a 415 in XML', async () => {
      const res = await http('terminal')
        .post(OSMP)
        .set('Authorization', terminalAuth())
        .set('Content-Type', 'application/x-www-form-urlencoded; charset=windows-1251')
        .send('command=check&txn_id=3&account=5001234567&sum=0')
        .expect(415);
      expect(osmpXml(res)).toMatchObject({ result: '300' });
    });

    it('terminal: an ISO-8859-1 form is read as the same form in UTF-8', async () => {
      const check = (charset: string) =>
        http('terminal')
          .post(OSMP)
          .set('Authorization', terminalAuth())
          .set('Content-Type', `application/x-www-form-urlencoded; charset=${charset}`)
          .send('command=check&txn_id=4&account=5001234567&sum=0')
          .expect(200);
      expect(osmpXml(await check('iso-8859-1'))).toEqual(osmpXml(await check('utf-8')));
    });

    it('back office: latin1 JSON is a 415, and a latin1 sign-in form a 415 page', async () => {
      const api = await http('backoffice')
        .post('/v1/auth/login')
        .set('Content-Type', 'application/json; charset=latin1')
        .send('{"login":"a","password":"b"}')
        .expect(415);
      expect(api.body.message).toBe('charset "latin1" is not supported: send UTF-8');
      const page = await http('backoffice')
        .post('/login')
        .set('Content-Type', 'application/x-www-form-urlencoded; charset=latin1')
        .send('login=a&password=b')
        .expect(415);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
    });
  });

  describe('U+0000 and missing bodies', () => {
    it('back office: U+0000 in a login is a 400 naming it, over the API and the sign-in form', async () => {
      const api = await http('backoffice')
        .post('/v1/auth/login')
        .send({ login: 'admin\u0000', password: 'p' })
        .expect(400);
      expect(api.body.message).toBe('body.login must not contain the character U+0000');
      const page = await http('backoffice')
        .post('/login')
        .type('form')
        .send('login=admin%00&password=p')
        .expect(400);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
    });

    it('cabinet and back office: JSON that is no object is a 400 saying so', async () => {
      for (const [edge, path] of [
        ['cabinet', '/v1/cabinet/sessions'],
        ['backoffice', '/v1/auth/login'],
      ] as const)
        for (const [body, what] of [
          ['null', 'a bare value'],
          ['"admin"', 'a bare value'],
          ['12', 'a bare value'],
          ['[]', 'an array'],
          ['[{"email":"a@example.ru","login":"a","password":"b"}]', 'an array'],
        ]) {
          const res = await http(edge)
            .post(path)
            .set('Content-Type', 'application/json')
            .send(body)
            .expect(400);
          expect(res.body.message).toBe(`the body must be a JSON object, not ${what}`);
        }
    });

    it('cabinet and back office: a JSON route answers a body of any other type (text/plain, none, a form, multipart) with a 415 naming application/json', async () => {
      for (const [edge, path, body] of [
        ['cabinet', '/v1/cabinet/sessions', '{"email":"a@example.ru"}'],
        ['backoffice', '/v1/auth/login', '{"login":"a","password":"b"}'],
      ] as const)
        for (const type of [
          'text/plain',
          '',
          'application/x-www-form-urlencoded',
          'application/x-www-form-urlencoded; charset=latin1',
          'multipart/form-data; boundary=x',
        ]) {
          const res = await http(edge)
            .post(path)
            .set('Content-Type', type)
            .send(Buffer.from(body))
            .expect(415);
          expect(res.body.message).toBe('Content-Type must be application/json');
        }
      const page = await http('backoffice')
        .post('/login')
        .set('Content-Type', 'text/plain')
        .send('login=a&password=b')
        .expect(415);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
    });

    it('cabinet and back office: a name given twice in one JSON object is a 400 naming it, not half read', async () => {
      const { accountNumber, serial } = edges.account;
      const reading = (value: string) =>
        `{"meterSerial":${JSON.stringify(serial)},"values":[{"zone":"T1","value":"${value}"}]}`;
      const refused = [
        // JSON.parse keeps the last: the first list of readings would be dropped, answered 201.
        await http('cabinet')
          .post(`/v1/cabinet/accounts/${accountNumber}/readings`)
          .set(edges.resident.auth)
          .set('Content-Type', 'application/json')
          .send(
            `{"readings":[${reading('00000101.000')}],"readings":[${reading('00000102.000')}]}`,
          ),
        await http('cabinet')
          .post(`/v1/cabinet/accounts/${accountNumber}/readings`)
          .set(edges.resident.auth)
          .set('Content-Type', 'application/json')
          .send(
            `{"readings":[{"meterSerial":"x","meterSer\\u0069al":${JSON.stringify(serial)},"values":[]}]}`,
          ),
        await http('backoffice')
          .post('/v1/auth/login')
          .set('Content-Type', 'application/json')
          .send('{"login":"a","password":"b","login":"c"}'),
      ];
      expect(refused.map((r) => [r.status, r.body.message])).toEqual([
        [400, '"readings" is given twice in one object'],
        [400, '"meterSerial" is given twice in one object'],
        [400, '"login" is given twice in one object'],
      ]);
    });

    it('cabinet and back office: a cross-site form reaches no JSON route: no token for the right password, no reading queued', async () => {
      const { login, password } = edges.operator;
      const signIn = await http('backoffice')
        .post('/v1/auth/login')
        .type('form')
        .send({ login, password })
        .expect(415);
      expect(signIn.body).not.toHaveProperty('token');
      const { accountNumber, serial } = edges.account;
      const reading = await http('cabinet')
        .post(`/v1/cabinet/accounts/${accountNumber}/readings`)
        .set(edges.resident.auth)
        .field('readings[0][meterSerial]', serial)
        .field('readings[0][values][0][zone]', 'T1')
        .field('readings[0][values][0][value]', '00000101.000')
        .expect(415);
      expect(reading.body).not.toHaveProperty('readings');
      await http('cabinet')
        .post(`/v1/cabinet/accounts/${accountNumber}/readings`)
        .set(edges.resident.auth)
        .type('form')
        .send(
          `readings[0][meterSerial]=${encodeURIComponent(serial)}` +
            '&readings[0][values][0][zone]=T1&readings[0][values][0][value]=00000101.000',
        )
        .expect(415);
    });

    it('back office: the sign-in form posted without a body (so without its anti-forgery value) is a 403 page', async () => {
      const res = await http('backoffice').post('/login').expect(403);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    });

    it('back office: U+0000 in a path parameter is a 400', async () => {
      await http('backoffice').get('/v1/meters/%00/readings').set(bearer()).expect(400);
    });

    it('terminal and slips: a Basic login with U+0000 is a 401, the terminal’s in XML', async () => {
      const nul = `Basic ${Buffer.from('\u0000:\u0000').toString('base64')}`;
      const terminal = await http('terminal')
        .get(`${OSMP}?command=check&txn_id=4&account=5001234567&sum=0`)
        .set('Authorization', nul)
        .expect(401);
      expect(osmpXml(terminal).comment).toBe('wrong terminal credentials');
      await http('slips').get('/v1/slips/batches/B-1').set('Authorization', nul).expect(401);
    });

    it('slips: U+0000 in image_ref fails that row, naming image_ref', async () => {
      const batchId = `HOSTILE-${process.env.E2E_RUN_ID}-nul`;
      const qr = `ST00012|Name=X|PersonalAcc=40702810040000012345|BankName=B|BIC=044525225|CorrespAcc=30101810400000000225|PersAcc=${edges.account.accountNumber}`;
      const file =
        'slip_id;qr_payload;meter_serial;zone;value;confidence;image_ref\n' +
        `S-1;${qr};${edges.account.serial};T1;00000101.000;0.99;img\u0000.png\n`;
      const res = await http('slips')
        .post('/v1/slips/batches')
        .set('Authorization', basic(edges.centre))
        .set('X-Batch-Id', batchId)
        .set('Content-Type', 'text/csv')
        .send(file)
        .expect(202);
      expect(res.body).toMatchObject({ rows: 1, queued: 0, invalid: 1 });
      const report = await http('slips')
        .get(`/v1/slips/batches/${batchId}`)
        .set('Authorization', basic(edges.centre))
        .expect(200);
      expect(report.body.items[0].error).toMatch(/^image_ref must be/);
    });
  });

  it('slips: a multipart upload cut off inside a part nobody reads is a 400, and the app lives on', async () => {
    const boundary = 'hostile-boundary';
    const res = await http('slips')
      .post('/v1/slips/batches')
      .set('Authorization', basic(edges.centre))
      .set('X-Batch-Id', `HOSTILE-${process.env.E2E_RUN_ID}-other`)
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(`--${boundary}\r\nContent-Disposition: form-data; name="other"\r\n\r\nsome text`)
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'SLIP_FILE_INVALID' });
  });

  it('slips: a multipart upload cut off inside its file part is a 400 UPLOAD_INTERRUPTED, and the app lives on', async () => {
    const boundary = 'hostile-boundary';
    const body =
      `--${boundary}\r\n` +
      'Content-Disposition: form-data; name="file"; filename="batch.csv"\r\n' +
      'Content-Type: text/csv\r\n\r\n' +
      'slip_id;qr_payload;meter_serial;zone;value;confidence;image_ref\nS-1;ST0001';
    const res = await http('slips')
      .post('/v1/slips/batches')
      .set('Authorization', basic(edges.centre))
      .set('X-Batch-Id', `HOSTILE-${process.env.E2E_RUN_ID}-cut`)
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(body)
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'UPLOAD_INTERRUPTED' });
  });
});
