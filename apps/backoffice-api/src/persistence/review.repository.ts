import type { OutcomeMessage, ReasonCode } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import { queryable, type Transaction } from '@gw/persistence';
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
  until: string;
}

/** A reading waiting for (or decided by) an operator, as the queue lists it. */
export interface ReviewItemView {
  submissionId: string;
  channel: string;
  status: OutcomeMessage['status'];
  reasons: string[];
  warnings: string[];
  accountNumber: string;
  meterSerial: string;
  billingPeriod: string | null;
  values: ZoneValues;
  consumption: ZoneValues;
  confidence: number | null;
  readAt: string;
  receivedAt: string;
  /** The current claim; null when nobody holds the item or the claim has run out. */
  claim: ReviewClaim | null;
}

export interface ReviewDecisionView {
  decision: 'approved' | 'rejected';
  decidedBy: string;
  decidedAt: string;
  comment: string;
  reviewReasons: string[];
  submittedValues: ZoneValues;
  correctedValues: ZoneValues | null;
}

export interface ReviewItemDetail extends ReviewItemView {
  /** The scanned slip's image, for paper slips whose upload recorded one. */
  imageRef: string | null;
  decision: ReviewDecisionView | null;
}

/** A review item locked for a change, with what the change needs to know. */
export interface LockedReviewItem {
  submissionId: string;
  status: OutcomeMessage['status'];
  reasons: ReasonCode[];
  warnings: string[];
  accountNumber: string;
  meterSerial: string;
  billingPeriod: string | null;
  values: ZoneValues;
  consumption: ZoneValues;
  confidence: number | null;
  readAt: Date;
  receivedAt: Date;
  claim: ReviewClaim | null;
  decided: boolean;
}

export interface ReviewDecisionRecord {
  submissionId: string;
  decision: 'approved' | 'rejected';
  decidedBy: string;
  decidedAt: Date;
  comment: string;
  reviewReasons: string[];
  submittedValues: ZoneValues;
  correctedValues: ZoneValues | null;
}

interface ItemRow {
  submission_id: string;
  channel: string;
  status: OutcomeMessage['status'];
  reasons: ReasonCode[];
  warnings: string[];
  account_number: string;
  meter_serial: string;
  billing_period: string | null;
  submitted_values: ZoneValues;
  consumption: ZoneValues;
  confidence: string | null;
  read_at: Date;
  received_at: Date;
  claimed_by: string | null;
  claimed_until: Date | null;
}

/** The slip image and the operator's decision, next to an item's columns in `findItem`. */
interface ItemDecisionRow {
  image_ref: string | null;
  decision: ReviewDecisionView['decision'] | null;
  decided_by: string;
  review_decided_at: Date;
  comment: string;
  review_reasons: string[];
  original_values: ZoneValues;
  corrected_values: ZoneValues | null;
}

const ITEM_COLUMNS = `r.submission_id, r.channel, r.status, r.reasons, r.warnings, r.account_number, r.meter_serial,
  r.billing_period, r.submitted_values, r.consumption, r.confidence::text AS confidence, r.read_at, r.received_at,
  c.claimed_by, c.claimed_until`;

/** Only a claim that has not run out counts; an expired one is free for anyone to take over. */
const ACTIVE_CLAIM = `LEFT JOIN review_claims c ON c.submission_id = r.submission_id AND c.claimed_until > now()`;

function toItem(row: ItemRow): ReviewItemView {
  return {
    submissionId: row.submission_id,
    channel: row.channel,
    status: row.status,
    reasons: row.reasons,
    warnings: row.warnings,
    accountNumber: row.account_number,
    meterSerial: row.meter_serial,
    billingPeriod: row.billing_period,
    values: row.submitted_values,
    consumption: row.consumption,
    confidence: row.confidence === null ? null : Number(row.confidence),
    readAt: toMoscowIso(row.read_at),
    receivedAt: toMoscowIso(row.received_at),
    claim:
      row.claimed_by && row.claimed_until
        ? { by: row.claimed_by, until: toMoscowIso(row.claimed_until) }
        : null,
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
   * Open items, oldest received first, with the number of all items the filter matches. A search
   * uses the account and meter indexes of readings; without one, the partial review-queue index.
   */
  async listOpen(filter: ReviewQueueFilter): Promise<{ total: number; items: ReviewItemView[] }> {
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
    const [rows, [count]]: [ItemRow[], { n: string }[]] = await Promise.all([
      this.db.query(
        `SELECT ${ITEM_COLUMNS} FROM readings r ${ACTIVE_CLAIM} WHERE ${where}
          ORDER BY r.received_at, r.submission_id LIMIT $6 OFFSET $7`,
        [...params, filter.limit, filter.offset],
      ),
      this.db.query(`SELECT count(*) AS n FROM readings r WHERE ${where}`, params),
    ]);
    return { total: Number(count.n), items: rows.map(toItem) };
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
              d.decision, d.decided_by, d.decided_at AS review_decided_at, d.comment, d.review_reasons,
              d.submitted_values AS original_values, d.corrected_values
         FROM readings r ${ACTIVE_CLAIM}
         LEFT JOIN review_decisions d ON d.submission_id = r.submission_id
        WHERE r.submission_id = $1 AND (r.status = 'needs_review' OR d.submission_id IS NOT NULL)`,
      [submissionId],
    );
    if (!row) return null;
    return {
      ...toItem(row),
      imageRef: row.image_ref,
      decision: row.decision
        ? {
            decision: row.decision,
            decidedBy: row.decided_by,
            decidedAt: toMoscowIso(row.review_decided_at),
            comment: row.comment,
            reviewReasons: row.review_reasons,
            submittedValues: row.original_values,
            correctedValues: row.corrected_values,
          }
        : null,
    };
  }

  /**
   * Locks the reading row for the rest of the transaction. Every claim, release and decision takes
   * this lock first, so two operators acting on one item are served one after the other, and the
   * second sees what the first committed. Null for an unknown id.
   */
  async lockItem(tx: Transaction, submissionId: string): Promise<LockedReviewItem | null> {
    const locked: unknown[] = await queryable(this.db, tx).query(
      `SELECT 1 FROM readings WHERE submission_id = $1 FOR UPDATE`,
      [submissionId],
    );
    if (locked.length === 0) return null;
    // A statement of its own, so its snapshot (READ COMMITTED) sees the claim or decision committed
    // by whoever held the lock before: a join in the locking statement would see the older state.
    const [row]: (ItemRow & { decided: boolean })[] = await queryable(this.db, tx).query(
      `SELECT ${ITEM_COLUMNS},
              EXISTS (SELECT 1 FROM review_decisions d WHERE d.submission_id = r.submission_id) AS decided
         FROM readings r ${ACTIVE_CLAIM}
        WHERE r.submission_id = $1`,
      [submissionId],
    );
    const item = toItem(row);
    return {
      ...item,
      reasons: row.reasons,
      readAt: row.read_at,
      receivedAt: row.received_at,
      decided: row.decided,
    };
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
    return { by: row.claimed_by, until: toMoscowIso(row.claimed_until) };
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
                                     submitted_values, corrected_values)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)`,
      [
        record.submissionId,
        record.decision,
        record.decidedBy,
        record.decidedAt.toISOString(),
        record.comment,
        record.reviewReasons,
        JSON.stringify(record.submittedValues),
        record.correctedValues === null ? null : JSON.stringify(record.correctedValues),
      ],
    );
    await this.release(tx, record.submissionId);
  }
}
