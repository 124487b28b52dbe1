import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { getSubmission } from '../kiosk/kiosk-harness';
import { basic } from '../slips/slip-harness';
import { Edges } from '../support/edges';

jest.setTimeout(300_000);

/** What no browser or proxy may keep, and no browser may read as another type than it was sent. */
const NOT_KEPT = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

describe('API answers are neither cached nor sniffed, at every HTTP edge', () => {
  let edges: Edges;

  const http = (name: Parameters<Edges['app']>[0]) => request(edges.app(name).getHttpServer());

  beforeAll(async () => {
    edges = await Edges.start();
  });

  afterAll(async () => {
    await edges?.stop();
  });

  it('the signed-in answers of every edge: queue, audit, meters, readings, submission, check, batch', async () => {
    const operator = { Authorization: `Bearer ${edges.operator.token}` };
    const account = `/v1/cabinet/accounts/${edges.account.accountNumber}`;
    const answers = [
      await http('backoffice').get('/v1/review').set(operator).expect(200),
      await http('backoffice').get('/v1/audit').set(operator).expect(200),
      await http('cabinet').get(`${account}/meters`).set(edges.resident.auth).expect(200),
      await http('cabinet').get(`${account}/readings`).set(edges.resident.auth).expect(200),
      await getSubmission(edges.app('kiosk'), edges.kiosk, randomUUID()).expect(404),
      await http('terminal')
        .get(
          `/v1/terminal/osmp?command=check&txn_id=1&sum=0&account=${edges.account.accountNumber}`,
        )
        .set('Authorization', basic(edges.terminal))
        .expect(200),
      await http('slips')
        .get(`/v1/slips/batches/${randomUUID()}`)
        .set('Authorization', basic(edges.centre))
        .expect(404),
    ];
    for (const res of answers) expect(res.headers).toMatchObject(NOT_KEPT);
  });

  it('refusals before any handler, and the management endpoints', async () => {
    const answers = [
      await http('backoffice').get('/v1/review').expect(401),
      await http('cabinet').get('/v1/cabinet/accounts').expect(401),
      await http('backoffice').get('/v1/no-such-route').expect(404),
      await http('backoffice').get('/metrics').expect(200),
      await http('cabinet').get('/health/ready').expect(200),
    ];
    for (const res of answers) expect(res.headers).toMatchObject(NOT_KEPT);
  });
});
