import type { INestApplication } from '@nestjs/common';
import type { SubmissionMessage } from '@gw/contracts';
import request from 'supertest';
import { startBackoffice } from './backoffice-app';
import { DECIDED_BY, ReviewStack } from './review-harness';

/**
 * A bulk decision while PostgreSQL or Kafka cannot serve one of its items: the items before it stay
 * decided, and it and the rest are reported as not decided, to be tried again later.
 */
describe('backoffice web UI: bulk decision during an outage', () => {
  let stack: ReviewStack;

  beforeAll(async () => {
    // A registry import holds the meters it changes until it commits, far longer than this.
    stack = await ReviewStack.start({ DATABASE_LOCK_TIMEOUT_MS: '1000' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const bulkApprove = (
    app: INestApplication,
    operator: { cookie: string; csrf: string },
    items: SubmissionMessage[],
  ) =>
    request(app.getHttpServer())
      .post('/bulk-decisions')
      .set('Cookie', operator.cookie)
      .type('form')
      .send(
        `_csrf=${operator.csrf}&q=${items[0].accountNumber}&decision=approve&comment=ok` +
          items.map((i) => `&ids=${i.submissionId}`).join(''),
      );

  const resultOf = (html: string, id: string) =>
    new RegExp(`data-id="${id}"><td>[^]*?</td>\\s*<td>([^<]*)</td>`).exec(html)?.[1];

  const statuses = async (items: SubmissionMessage[]) => {
    const rows: { submission_id: string; status: string }[] = await stack.db.query(
      `SELECT submission_id, status FROM readings WHERE submission_id = ANY ($1)`,
      [items.map((i) => i.submissionId)],
    );
    const byId = new Map(rows.map((r) => [r.submission_id, r.status]));
    return items.map((i) => byId.get(i.submissionId));
  };

  it('reports an item whose meter stays locked and the rest as not decided, and decides them on retry', async () => {
    const operator = await stack.webSession('operator');
    const items = await stack.inReviewOnOneAccount(3);
    const [first, locked, last] = items;
    const importer = stack.db.createQueryRunner();
    await importer.connect();
    await importer.startTransaction();
    let bulk: request.Response;
    try {
      await importer.query(`SELECT 1 FROM meters WHERE serial = $1 FOR UPDATE`, [
        locked.meterSerial,
      ]);
      bulk = await bulkApprove(stack.app, operator, items);
    } finally {
      await importer.rollbackTransaction();
      await importer.release();
    }
    expect(bulk.status).toBe(200);
    expect(bulk.text).toContain('Решено 1 из 3');
    expect(resultOf(bulk.text, first.submissionId)).toBe('решено, исход отправлен');
    for (const undecided of [locked, last])
      expect(resultOf(bulk.text, undecided.submissionId)).toBe(
        'не решено: База данных недоступна. Повторите позже.',
      );
    expect(await statuses(items)).toEqual(['accepted', 'needs_review', 'needs_review']);
    expect((await stack.outcomesOf(first.submissionId, 2))[1].status).toBe('accepted');

    const retry = await bulkApprove(stack.app, operator, items).expect(200);
    expect(retry.text).toContain('Решено 2 из 3');
    expect(resultOf(retry.text, first.submissionId)).toBe(
      'не решено: По записи уже принято решение.',
    );
    for (const decided of [locked, last])
      expect(resultOf(retry.text, decided.submissionId)).toBe('решено, исход отправлен');
    expect(await statuses(items)).toEqual(['accepted', 'accepted', 'accepted']);
    expect((await stack.outcomesOf(last.submissionId, 2))[1].status).toBe('accepted');
  });

  it('decides every item while Kafka is out, their outcomes waiting in the outbox', async () => {
    const operator = await stack.webSession('operator');
    const items = await stack.inReviewOnOneAccount(2);
    // The same back office, cut off from Kafka.
    const offline = await startBackoffice({
      KAFKA_BROKERS: '127.0.0.1:9',
      KAFKA_SEND_TIMEOUT_MS: '1000',
      BACKOFFICE_OUTBOX_INTERVAL_MS: '600000',
      BACKOFFICE_DECIDED_BY: DECIDED_BY,
    });
    let bulk: request.Response;
    try {
      bulk = await bulkApprove(offline, operator, items).expect(200);
    } finally {
      await offline.close();
    }
    expect(bulk.text).toContain('Решено 2 из 2');
    for (const item of items)
      expect(resultOf(bulk.text, item.submissionId)).toBe('решено, исход будет отправлен');
    expect(await statuses(items)).toEqual(['accepted', 'accepted']);
  });
});
