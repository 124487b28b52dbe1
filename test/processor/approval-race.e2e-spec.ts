import type { SubmissionMessage } from '@gw/contracts';
import type { QueryRunner } from 'typeorm';
import { submission } from '../support/factories';
import { eventually, lockWaiters } from '../support/infra';
import { bearer, ReviewStack } from '../backoffice/review-harness';

const ROUNDS = 12;

describe('reading-processor and back office: an approval racing a new reading of the same meter', () => {
  let stack: ReviewStack;
  let token: string;

  beforeAll(async () => {
    stack = await ReviewStack.start();
    token = (await stack.operator('operator')).token;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const untilWaiting = (pattern: string) =>
    eventually(
      () => lockWaiters(stack.db, pattern),
      (n) => n >= 1,
      20000,
      20,
    );

  /** A test transaction holding a row lock, so the racers meet where the test wants them to. */
  async function holdLock(sql: string, params: unknown[]): Promise<QueryRunner> {
    const runner = stack.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(sql, params);
    return runner;
  }

  async function release(runner: QueryRunner): Promise<void> {
    await runner.commitTransaction();
    await runner.release();
  }

  const approve = (submissionId: string) =>
    stack
      .http()
      .post(`/v1/review/${submissionId}/approve`)
      .set(bearer(token))
      .send({ comment: 'checked against the photo' });

  const statuses = async (ids: string[]): Promise<Map<string, string>> =>
    new Map(
      (
        await stack.db.query(
          `SELECT submission_id, status, billing_period FROM readings WHERE submission_id = ANY($1::uuid[])`,
          [ids],
        )
      ).map((r: { submission_id: string; status: string; billing_period: string }) => [
        r.submission_id,
        `${r.status} ${r.billing_period}`,
      ]),
    );

  /**
   * A slip reading in review (low OCR confidence) and, from a kiosk, the same values read at the
   * same time: whichever is decided second must see the first and be a duplicate of it.
   */
  async function contenders(): Promise<{ review: SubmissionMessage; kiosk: SubmissionMessage }> {
    const [review] = await stack.inReview(['low-confidence']);
    const kiosk = submission({
      accountNumber: review.accountNumber,
      meterSerial: review.meterSerial,
      values: review.values,
      readAt: review.readAt,
    });
    return { review, kiosk };
  }

  it(`never leaves two accepted readings of one meter and period that ignored each other (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const { review, kiosk } = await contenders();
      const ids = [review.submissionId, kiosk.submissionId];
      if (round % 2 === 0) {
        // The approval holds the meter's lock (it waits for the review item we hold) while the
        // processor, which loaded the batch before the approval committed, waits to store.
        const item = await holdLock(`SELECT 1 FROM readings WHERE submission_id = $1 FOR UPDATE`, [
          review.submissionId,
        ]);
        const approval = approve(review.submissionId).then((res) => res);
        await untilWaiting('%FROM readings WHERE submission_id = $1 FOR UPDATE%');
        await stack.publish([kiosk]);
        await untilWaiting('%FOR NO KEY UPDATE%');
        await release(item);
        const res = await approval;
        expect({ round, status: res.status, outcome: res.body.outcome?.status }).toEqual({
          round,
          status: 200,
          outcome: 'accepted',
        });
        await stack.decided(ids);
        expect({ round, statuses: await statuses(ids) }).toEqual({
          round,
          statuses: new Map([
            [review.submissionId, 'accepted 2026-11'],
            [kiosk.submissionId, 'duplicate 2026-11'],
          ]),
        });
      } else {
        // The processor holds the meter's lock while the approval, decided before the kiosk
        // reading was stored, waits to write.
        const meter = await holdLock(`SELECT 1 FROM meters WHERE serial = $1 FOR UPDATE`, [
          review.meterSerial,
        ]);
        await stack.publish([kiosk]);
        await untilWaiting('%FOR NO KEY UPDATE%');
        const approval = approve(review.submissionId).then((res) => res);
        await eventually(
          () => lockWaiters(stack.db, '%FROM meters WHERE serial = $1 FOR UPDATE%'),
          (n) => n >= 1,
          20000,
          20,
        );
        await release(meter);
        const res = await approval;
        await stack.decided(ids);
        const final = await statuses(ids);
        const accepted = [...final.values()].filter((s) => s === 'accepted 2026-11');
        expect({ round, status: res.status, accepted: accepted.length }).toEqual({
          round,
          status: 200,
          accepted: 1,
        });
        expect({ round, statuses: [...final.values()].sort() }).toEqual({
          round,
          statuses: ['accepted 2026-11', 'duplicate 2026-11'],
        });
        expect(res.body.outcome.status).toBe(final.get(review.submissionId)?.split(' ')[0]);
      }
    }
  });
});
