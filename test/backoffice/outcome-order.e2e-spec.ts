import request from 'supertest';
import { registryRecord, seedMeters, submission } from '../support/factories';
import { startBackoffice } from './backoffice-app';
import { bearer, DECIDED_BY, ReviewStack } from './review-harness';

describe('outcomes of one submission reach Kafka in the order they were decided', () => {
  let stack: ReviewStack;
  let supervisor: { login: string; token: string };

  beforeAll(async () => {
    // No relay runs on its own here: every outcome goes out with its decision, or not at all.
    stack = await ReviewStack.start({ BACKOFFICE_OUTBOX_INTERVAL_MS: '600000' });
    supervisor = await stack.operator('supervisor');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('publishes an earlier decision Kafka did not take before the one that follows it', async () => {
    // Verification expired on 2025-01-10; the reading spikes (100 -> 900) once it is covered again.
    const [meter] = await seedMeters(stack.db, [
      registryRecord({
        installed_on: '2019-01-10',
        verified_on: '2019-01-10',
        verification_interval_months: '72',
        initial_t1: '00100.000',
        initial_on: '2026-10-20',
      }),
    ]);
    const reading = submission({
      accountNumber: meter.accountNumber,
      meterSerial: meter.serial,
      values: [{ zone: 'T1', value: '00900.000' }],
    });
    await stack.publish([reading]);
    expect([...(await stack.decided([reading.submissionId])).values()]).toEqual(['rejected']);

    // The same back office, cut off from Kafka, revives it into review: the outcome waits.
    const offline = await startBackoffice({
      KAFKA_BROKERS: '127.0.0.1:9',
      KAFKA_SEND_TIMEOUT_MS: '1000',
      BACKOFFICE_OUTBOX_INTERVAL_MS: '600000',
      BACKOFFICE_DECIDED_BY: DECIDED_BY,
    });
    try {
      const as = (path: string, body: object = {}) =>
        request(offline.getHttpServer()).post(path).set(bearer(supervisor.token)).send(body);
      await as(`/v1/meters/${meter.serial}/verifications`, {
        verifiedOn: '2026-11-01',
        intervalMonths: 72,
        certificateNo: 'C-ORDER',
      }).expect(201);
      const revived = await as(`/v1/meters/${meter.serial}/revalidate`).expect(200);
      expect(revived.body).toMatchObject({
        outcomesPublished: false,
        revalidated: [{ outcome: { status: 'needs_review' } }],
      });
    } finally {
      await offline.close();
    }

    // Kafka is back; an operator approves the item.
    const approved = await stack
      .http()
      .post(`/v1/review/${reading.submissionId}/approve`)
      .set(bearer(supervisor.token))
      .send({ comment: 'checked with the resident' })
      .expect(200);
    expect(approved.body).toMatchObject({
      outcomePublished: true,
      outcome: { status: 'accepted' },
    });
    const outcomes = await stack.outcomesOf(reading.submissionId, 3);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'needs_review', 'accepted']);
    const pending = await stack.db.query(
      `SELECT id FROM outcome_outbox WHERE submission_id = $1 AND published_at IS NULL`,
      [reading.submissionId],
    );
    expect(pending).toEqual([]);
  });
});
