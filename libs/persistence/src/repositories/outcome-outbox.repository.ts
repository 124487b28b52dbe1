import type { OutcomeMessage } from '@gw/contracts';
import type { DataSource } from 'typeorm';
import { queryable, type Transaction } from '../transaction';

export interface PendingOutcome {
  id: string;
  outcome: OutcomeMessage;
}

/**
 * Outcomes waiting to be published (transactional outbox). A decision writes its outcomes here in
 * its own transaction; a relay publishes them afterwards and marks them, so an outcome reaches
 * Kafka at least once and only for a decision that was committed.
 */
export class OutcomeOutboxRepository {
  constructor(private readonly db: DataSource) {}

  /** Queues outcomes in the caller's transaction; returns their ids in order. */
  async enqueue(tx: Transaction, outcomes: OutcomeMessage[]): Promise<string[]> {
    if (outcomes.length === 0) return [];
    const rows: { id: string }[] = await queryable(this.db, tx).query(
      `INSERT INTO outcome_outbox (submission_id, account_number, payload)
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::jsonb[])
       RETURNING id`,
      [
        outcomes.map((o) => o.submissionId),
        outcomes.map((o) => o.accountNumber),
        outcomes.map((o) => JSON.stringify(o)),
      ],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Locks unpublished outcomes, hands them to `publish` and marks them published when it resolves;
   * if it throws, nothing is marked and the rows stay pending. With `ids` it takes those and the
   * rows of the same submissions still pending before them (a decision whose outcome Kafka did not
   * take earlier), waiting for a relay that holds any, so a submission's outcomes go out in the
   * order they were decided; without, the oldest `limit` rows no one else holds. Returns how many
   * were published.
   */
  async publishPending(
    select: { ids: string[] } | { limit: number },
    publish: (pending: PendingOutcome[]) => Promise<void>,
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows: { id: string; payload: OutcomeMessage }[] =
        'ids' in select
          ? await tx.query(
              `SELECT id, payload FROM outcome_outbox
                WHERE published_at IS NULL
                  AND submission_id IN (SELECT submission_id FROM outcome_outbox WHERE id = ANY ($1::bigint[]))
                  AND id <= (SELECT max(id) FROM unnest($1::bigint[]) AS mine (id))
                ORDER BY id FOR UPDATE`,
              [select.ids],
            )
          : await tx.query(
              `SELECT id, payload FROM outcome_outbox
                WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
              [select.limit],
            );
      if (rows.length === 0) return 0;
      await publish(rows.map((r) => ({ id: r.id, outcome: r.payload })));
      await tx.query(
        `UPDATE outcome_outbox SET published_at = now() WHERE id = ANY ($1::bigint[])`,
        [rows.map((r) => r.id)],
      );
      return rows.length;
    });
  }
}
