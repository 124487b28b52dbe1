import type { RecordedReading } from '@gw/domain';
import {
  queryable,
  STORED_READING_COLUMNS,
  type StoredReadingRow,
  toStoredReading,
  type Transaction,
} from '@gw/persistence';
import type { DataSource } from 'typeorm';

type ZoneValues = { zone: string; value: string }[];

/** What narrows the open review queue; all optional. */
export interface ReviewQueueFilter {
  channel: string | null;
  reason: string | null;
  /** Received at or before this instant (the item is at least this old). */
  receivedUpTo: Date | null;
  /** Received at or after this instant (the item is at most this old). */
  receivedFrom: Date | null;
  /** An account number or meter serial the item must have (exact). */
  search: string | null;
  limit: number;
  /** Items to skip, for paging. */
  offset: number;
}

export interface ReviewClaim {
  by: string;
  until: Date;
}

/** A reading waiting for (or decided by) an operator, and the claim on it. */
export interface ReviewItem extends RecordedReading {
  /** The current claim; null when nobody holds the item or the claim has run out. */
  claim: ReviewClaim | null;
}

/** An operator's decision on a review item. */
export interface ReviewDecision {
  decision: 'approved' | 'rejected';
  decidedBy: string;
  decidedAt: Date;
  comment: string;
  reviewReasons: string[];
  submittedValues: ZoneValues;
  correctedValues: ZoneValues | null;
  swappedFromSerial: string | null;
}

export interface ReviewItemDetail extends ReviewItem {
  /** The scanned slip's image, for paper slips whose upload recorded one. */
  imageRef: string | null;
  /** Whether slip-ingest keeps the image itself (sent with its batch, not yet past retention). */
  hasImage: boolean;
  decision: ReviewDecision | null;
}

/** A review item locked for a change, with what the change needs to know. */
export interface LockedReviewItem extends ReviewItem {
  decided: boolean;
  /** Whether the reading was in review when the lock was asked for, before waiting for it. */
  wasOpen: boolean;
}

export interface ReviewDecisionRecord extends ReviewDecision {
  submissionId: string;
}

interface ItemRow extends StoredReadingRow {
  claimed_by: string | null;
  claimed_until: Date | null;
}

/** The slip image and the operator's decision, next to an item's columns in `findItem`. */
interface ItemDecisionRow {
  image_ref: string | null;
  has_image: boolean;
  decision: ReviewDecision['decision'] | null;
  decided_by: string;
  review_decided_at: Date;
  comment: string;
  review_reasons: string[];
  original_values: ZoneValues;
  corrected_values: ZoneValues | null;
  swapped_from_serial: string | null;
}

const ITEM_COLUMNS = `${STORED_READING_COLUMNS}, c.claimed_by, c.claimed_until`;

/** Only a claim that has not run out counts; an expired one is free for anyone to take over. */
const ACTIVE_CLAIM = `LEFT JOIN review_claims c ON c.submission_id = r.submission_id AND c.claimed_until > now()`;

function toItem(row: ItemRow): ReviewItem {
  return {
    ...toStoredReading(row),
    claim:
      row.claimed_by && row.claimed_until ? { by: row.claimed_by, until: row.claimed_until } : null,
  };
}

/**
 * The review queue: readings in status needs_review (the item id is the submissionId), the claims
 * operators hold on them, and the operators' decisions. Every change first locks the reading row
 * (lockItem), so claims and decisions on one item are serialised by PostgreSQL.
 */
export class ReviewRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Open items, oldest received first, with the number of all items the filter matches; both are
   * read in one snapshot, so they agree while operators decide items and the processor adds some.
   * A search uses the account and meter indexes of readings; without one, the partial review-queue
   * index.
   */
  async listOpen(filter: ReviewQueueFilter): Promise<{ total: number; items: ReviewItem[] }> {
    const where = `r.status = 'needs_review'
      AND ($1::text IS NULL OR r.channel = $1)
      AND ($2::text IS NULL OR $2 = ANY (r.reasons))
      AND ($3::timestamptz IS NULL OR r.received_at <= $3)
      AND ($4::timestamptz IS NULL OR r.received_at >= $4)
      AND ($5::text IS NULL OR r.account_number = $5 OR r.meter_serial = $5)`;
    const params = [
      filter.channel,
      filter.reason,
      filter.receivedUpTo?.toISOString() ?? null,
      filter.receivedFrom?.toISOString() ?? null,
      filter.search,
    ];
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      const rows: ItemRow[] = await tx.query(
        `SELECT ${ITEM_COLUMNS} FROM readings r ${ACTIVE_CLAIM} WHERE ${where}
          ORDER BY r.received_at, r.submission_id LIMIT $6 OFFSET $7`,
        [...params, filter.limit, filter.offset],
      );
      const [count]: { n: string }[] = await tx.query(
        `SELECT count(*) AS n FROM readings r WHERE ${where}`,
        params,
      );
      return { total: Number(count.n), items: rows.map(toItem) };
    });
  }

  /**
   * A review item with its slip image and decision: a reading in review, or one an operator has
   * decided. Null for an unknown id and for readings that never went to review.
   */
  async findItem(submissionId: string): Promise<ReviewItemDetail | null> {
    const [row]: (ItemRow & ItemDecisionRow)[] = await this.db.query(
      `SELECT ${ITEM_COLUMNS},
              (SELECT s.image_ref FROM slip_batch_rows s
                WHERE s.submission_id = r.submission_id AND s.image_ref IS NOT NULL
                ORDER BY s.row_no LIMIT 1) AS image_ref,
              EXISTS (SELECT 1 FROM slip_batch_rows s
                JOIN slip_images i ON i.centre_id = s.centre_id AND i.image_ref = s.image_ref
                WHERE s.submission_id = r.submission_id) AS has_image,
              d.decision, d.decided_by, d.decided_at AS review_decided_at, d.comment, d.review_reasons,
              d.submitted_values AS original_values, d.corrected_values, d.swapped_from_serial
         FROM readings r ${ACTIVE_CLAIM}
         LEFT JOIN review_decisions d ON d.submission_id = r.submission_id
        WHERE r.submission_id = $1 AND (r.status = 'needs_review' OR d.submission_id IS NOT NULL)`,
      [submissionId],
    );
    if (!row) return null;
    return {
      ...toItem(row),
      imageRef: row.image_ref,
      hasImage: row.has_image,
      decision: row.decision
        ? {
            decision: row.decision,
            decidedBy: row.decided_by,
            decidedAt: row.review_decided_at,
            comment: row.comment,
            reviewReasons: row.review_reasons,
            submittedValues: row.original_values,
            correctedValues: row.corrected_values,
            swappedFromSerial: row.swapped_from_serial,
          }
        : null,
    };
  }

  /**
   * Locks the reading row for the rest of the transaction. Every claim, release and decision takes
   * this lock first, so two operators acting on one item are served one after the other, and the
   * second sees what the first committed. Null for an unknown id (readings are never deleted).
   */
  async lockItem(tx: Transaction, submissionId: string): Promise<LockedReviewItem | null> {
    const [seen]: { status: string }[] = await queryable(this.db, tx).query(
      `SELECT status FROM readings WHERE submission_id = $1`,
      [submissionId],
    );
    if (!seen) return null;
    await queryable(this.db, tx).query(
      `SELECT 1 FROM readings WHERE submission_id = $1 FOR UPDATE`,
      [submissionId],
    );
    // A statement of its own, so its snapshot (READ COMMITTED) sees the claim or decision committed
    // by whoever held the lock before: a join in the locking statement would see the older state.
    const [row]: (ItemRow & { decided: boolean })[] = await queryable(this.db, tx).query(
      `SELECT ${ITEM_COLUMNS},
              EXISTS (SELECT 1 FROM review_decisions d WHERE d.submission_id = r.submission_id) AS decided
         FROM readings r ${ACTIVE_CLAIM}
        WHERE r.submission_id = $1`,
      [submissionId],
    );
    return { ...toItem(row), decided: row.decided, wasOpen: seen.status === 'needs_review' };
  }

  /**
   * The other half of a suspected swap: the open SUSPECTED_SWAP item of `serial` (the account's
   * other water meter) in the same billing period, the one read closest in time to `readAt`.
   */
  async findSwapPartner(
    accountNumber: string,
    serial: string,
    billingPeriod: string | null,
    readAt: Date,
  ): Promise<ReviewItem | null> {
    const [row]: ItemRow[] = await this.db.query(
      `SELECT ${ITEM_COLUMNS} FROM readings r ${ACTIVE_CLAIM}
        WHERE r.account_number = $1 AND r.meter_serial = $2 AND r.status = 'needs_review'
          AND 'SUSPECTED_SWAP' = ANY (r.reasons) AND r.billing_period IS NOT DISTINCT FROM $3
        ORDER BY abs(extract(epoch FROM r.read_at - $4::timestamptz)), r.submission_id
        LIMIT 1`,
      [accountNumber, serial, billingPeriod, readAt.toISOString()],
    );
    return row ? toItem(row) : null;
  }

  /** Gives the item to `login` for `ttlSeconds` from now (database clock); replaces any earlier claim. */
  async claim(
    tx: Transaction,
    submissionId: string,
    login: string,
    ttlSeconds: number,
  ): Promise<ReviewClaim> {
    const [row]: { claimed_by: string; claimed_until: Date }[] = await queryable(this.db, tx).query(
      `INSERT INTO review_claims (submission_id, claimed_by, claimed_at, claimed_until)
       VALUES ($1, $2, now(), now() + make_interval(secs => $3))
       ON CONFLICT (submission_id) DO UPDATE
         SET claimed_by = EXCLUDED.claimed_by, claimed_at = EXCLUDED.claimed_at, claimed_until = EXCLUDED.claimed_until
       RETURNING claimed_by, claimed_until`,
      [submissionId, login, ttlSeconds],
    );
    return { by: row.claimed_by, until: row.claimed_until };
  }

  async release(tx: Transaction, submissionId: string): Promise<void> {
    await queryable(this.db, tx).query(`DELETE FROM review_claims WHERE submission_id = $1`, [
      submissionId,
    ]);
  }

  /** Records the operator's decision and frees the item. */
  async recordDecision(tx: Transaction, record: ReviewDecisionRecord): Promise<void> {
    await queryable(this.db, tx).query(
      `INSERT INTO review_decisions (submission_id, decision, decided_by, decided_at, comment, review_reasons,
                                     submitted_values, corrected_values, swapped_from_serial)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)`,
      [
        record.submissionId,
        record.decision,
        record.decidedBy,
        record.decidedAt.toISOString(),
        record.comment,
        record.reviewReasons,
        JSON.stringify(record.submittedValues),
        record.correctedValues === null ? null : JSON.stringify(record.correctedValues),
        record.swappedFromSerial,
      ],
    );
    await this.release(tx, record.submissionId);
  }
}
