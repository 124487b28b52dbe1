import type { OutcomeMessage } from '@gw/contracts';
import { recordUnfit } from '../support/factories';
import { eventually, lockWaiters } from '../support/infra';
import { bearer, ReviewStack } from './review-harness';

/** Back-office actions on one review item at the same moment: one takes effect, the other is told why not. */
describe('backoffice decisions racing each other through real Kafka, processor and PostgreSQL', () => {
  let stack: ReviewStack;
  let ivanova: { login: string; token: string };
  let petrov: { login: string; token: string };

  const post = (path: string, body: object, token: string) =>
    stack.http().post(path).set(bearer(token)).send(body);

  /** What the database and Kafka hold of a submission once its outcomes are out. */
  async function effects(submissionId: string, outcomes: number) {
    const published = await stack.outcomesOf(submissionId, outcomes);
    const decisions: { decision: string }[] = await stack.db.query(
      `SELECT decision FROM review_decisions WHERE submission_id = $1`,
      [submissionId],
    );
    const audit: { action: string }[] = await stack.db.query(
      `SELECT action FROM audit_log WHERE subject = $1 ORDER BY id`,
      [`review:${submissionId}`],
    );
    const outbox: { status: string }[] = await stack.db.query(
      `SELECT payload->>'status' AS status FROM outcome_outbox WHERE submission_id = $1`,
      [submissionId],
    );
    return {
      published: published.map((o: OutcomeMessage) => o.status),
      decisions: decisions.map((d) => d.decision),
      audit: audit.map((a) => a.action),
      outbox: outbox.map((o) => o.status),
    };
  }

  beforeAll(async () => {
    stack = await ReviewStack.start();
    ivanova = await stack.operator('supervisor');
    petrov = await stack.operator('supervisor');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('decides an item once when two operators approve and reject it at the same moment', async () => {
    const items = await stack.inReview(['spike', 'spike', 'spike', 'spike']);
    for (const { submissionId } of items) {
      const [approved, rejected] = await Promise.all([
        post(`/v1/review/${submissionId}/approve`, { comment: 'ok' }, ivanova.token),
        post(`/v1/review/${submissionId}/reject`, { comment: 'no' }, petrov.token),
      ]);
      expect([approved.status, rejected.status].sort()).toEqual([200, 409]);
      const [winner, loser] = approved.status === 200 ? [approved, rejected] : [rejected, approved];
      expect(loser.body).toMatchObject({ error: 'REVIEW_DECIDED' });
      const kind = winner === approved ? 'approve' : 'reject';
      expect(await effects(submissionId, 2)).toEqual({
        published: ['needs_review', winner.body.outcome.status],
        decisions: [kind === 'approve' ? 'approved' : 'rejected'],
        audit: [`review.${kind}`],
        outbox: [winner.body.outcome.status],
      });
    }
  });

  it('answers 409 REVIEW_DECIDED to a decision that waited while a revalidation took the item out of review', async () => {
    const [spike] = await stack.inReview(['spike']);
    const { submissionId, meterSerial } = spike;
    await recordUnfit(stack.db, meterSerial, '2026-11-15');
    // The revalidation holds the reading's row while it waits on the test's lock of the audit log;
    // the rejection comes in then, and waits for the row.
    const holder = stack.db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE`);
    const revalidation = post(`/v1/meters/${meterSerial}/revalidate`, {}, ivanova.token).then(
      (res) => res,
    );
    await eventually(
      () => lockWaiters(stack.db, '%INSERT INTO audit_log%'),
      (n) => n >= 1,
    );
    const rejection = post(
      `/v1/review/${submissionId}/reject`,
      { comment: 'no' },
      petrov.token,
    ).then((res) => res);
    await eventually(
      () => lockWaiters(stack.db, '%FROM readings WHERE submission_id = $1 FOR UPDATE%'),
      (n) => n >= 1,
    );
    await holder.commitTransaction();
    await holder.release();

    const [revalidated, rejected] = await Promise.all([revalidation, rejection]);
    expect(revalidated.status).toBe(200);
    expect(revalidated.body.revalidated).toEqual([
      expect.objectContaining({
        submissionId,
        outcome: expect.objectContaining({ status: 'rejected', reasons: ['VERIFICATION_FAILED'] }),
      }),
    ]);
    expect({ status: rejected.status, body: rejected.body }).toEqual({
      status: 409,
      body: expect.objectContaining({
        error: 'REVIEW_DECIDED',
        message: `review item ${submissionId} left review meanwhile: a revalidation decided the reading again`,
      }),
    });
    expect(await effects(submissionId, 2)).toEqual({
      published: ['needs_review', 'rejected'],
      decisions: [],
      audit: [],
      outbox: ['rejected'],
    });
    // Asked again later, the item is no review item any more.
    await post(`/v1/review/${submissionId}/reject`, { comment: 'no' }, petrov.token).expect(404);
  });
});
