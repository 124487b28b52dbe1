import { OUTCOME_STATUSES } from '@gw/contracts';
import { queryable, type Transaction, transaction } from '@gw/persistence';
import type { DataSource } from 'typeorm';

export const SLIP_BATCH_STATUSES = ['receiving', 'complete', 'interrupted', 'failed'] as const;
export type SlipBatchStatus = (typeof SLIP_BATCH_STATUSES)[number];

/** The status of one row: not queued, queued and undecided, or the processor's decision. */
export const SLIP_ROW_STATUSES = ['invalid', 'queued', ...OUTCOME_STATUSES] as const;
export type SlipRowStatus = (typeof SLIP_ROW_STATUSES)[number];

export interface SlipBatchCounts {
  rows: number;
  queued: number;
  invalid: number;
}

/** What one line of a batch file became. */
export interface SlipRowRecord {
  row: number;
  slipId: string | null;
  meterSerial: string | null;
  zone: string | null;
  imageRef: string | null;
  submissionId: string | null;
  error: string | null;
}

/** A submission id some row of this centre already went into. */
export interface QueuedSlip {
  submissionId: string;
  batchId: string;
  upload: number;
  row: number;
}

export interface SlipBatchSummary extends SlipBatchCounts {
  batchId: string;
  status: SlipBatchStatus;
  error: string | null;
  receivedAt: Date;
  finishedAt: Date | null;
  /** Rows per status, over every row of the batch. */
  rowsByStatus: Record<SlipRowStatus, number>;
}

export interface SlipRowView extends SlipRowRecord {
  status: SlipRowStatus;
  reasons: string[];
  warnings: string[];
}

export interface SlipRowPage {
  /** Rows after this row number. */
  after: number;
  limit: number;
  status: SlipRowStatus | null;
}

interface BatchRow {
  batch_id: string;
  status: SlipBatchStatus;
  row_count: number;
  queued_count: number;
  invalid_count: number;
  error: string | null;
  received_at: Date;
  finished_at: Date | null;
}

interface RowRow {
  row_no: number;
  slip_id: string | null;
  meter_serial: string | null;
  zone: string | null;
  image_ref: string | null;
  submission_id: string | null;
  error: string | null;
  status: SlipRowStatus;
  reasons: string[];
  warnings: string[];
}

function toRowView(r: RowRow): SlipRowView {
  return {
    row: r.row_no,
    slipId: r.slip_id,
    meterSerial: r.meter_serial,
    zone: r.zone,
    imageRef: r.image_ref,
    submissionId: r.submission_id,
    error: r.error,
    status: r.status,
    reasons: r.reasons,
    warnings: r.warnings,
  };
}

const ROW_STATUS = `CASE WHEN s.error IS NOT NULL THEN 'invalid' ELSE coalesce(r.status, 'queued') END`;

/**
 * Batches of scanned slips and what each of their rows became. Every write is one statement per
 * chunk of rows and checks that its upload still holds the batch, so two uploads of one batch
 * never interleave their rows.
 */
export class SlipBatchRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Starts an upload of the batch and returns its number; null while another upload of it is
   * under way (one that has written within `leaseSeconds`). A new upload resets the counts.
   */
  async begin(
    centreId: string,
    batchId: string,
    receivedAt: Date,
    leaseSeconds: number,
  ): Promise<number | null> {
    const [row]: { upload: number }[] = await this.db.query(
      `INSERT INTO slip_batches AS b (centre_id, batch_id, upload, status, received_at, heartbeat_at)
       VALUES ($1, $2, 1, 'receiving', $3, now())
       ON CONFLICT (centre_id, batch_id) DO UPDATE
         SET upload = b.upload + 1, status = 'receiving', row_count = 0, queued_count = 0, invalid_count = 0,
             error = NULL, received_at = EXCLUDED.received_at, heartbeat_at = now(), finished_at = NULL
       WHERE b.status <> 'receiving' OR b.heartbeat_at < now() - make_interval(secs => $4)
       RETURNING upload`,
      [centreId, batchId, receivedAt, leaseSeconds],
    );
    return row ? row.upload : null;
  }

  /**
   * Runs `work` in a transaction holding the centre's lock, so that uploads of one centre hand
   * over their chunks one at a time: a chunk looks up which of its slips were queued before, and
   * the rows of a chunk handed over meanwhile (another batch sharing slips) are committed by then.
   */
  async underCentreLock<T>(centreId: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
    return transaction(this.db, async (tx) => {
      await queryable(this.db, tx).query(
        `SELECT pg_advisory_xact_lock(hashtext('slip centre ' || $1))`,
        [centreId],
      );
      return work(tx);
    });
  }

  /** Rows of this centre, in any batch, that already went into these submissions. */
  async findQueued(
    centreId: string,
    submissionIds: string[],
    tx?: Transaction,
  ): Promise<QueuedSlip[]> {
    if (submissionIds.length === 0) return [];
    const rows: { submission_id: string; batch_id: string; upload: number; row_no: number }[] =
      await queryable(this.db, tx).query(
        `SELECT submission_id, batch_id, upload, row_no FROM slip_batch_rows
          WHERE submission_id = ANY($2::uuid[]) AND centre_id = $1`,
        [centreId, submissionIds],
      );
    return rows.map((r) => ({
      submissionId: r.submission_id,
      batchId: r.batch_id,
      upload: r.upload,
      row: r.row_no,
    }));
  }

  /**
   * Stores a chunk of row results and the running counts in one statement. False when the upload
   * no longer holds the batch (a later upload took it over), and then nothing is written.
   */
  async saveRows(
    centreId: string,
    batchId: string,
    upload: number,
    rows: SlipRowRecord[],
    counts: SlipBatchCounts,
    tx?: Transaction,
  ): Promise<boolean> {
    const col = <K extends keyof SlipRowRecord>(key: K) => rows.map((r) => r[key]);
    const [result]: { leased: number; written: number }[] = await queryable(this.db, tx).query(
      `WITH lease AS (
         UPDATE slip_batches SET row_count = $4, queued_count = $5, invalid_count = $6, heartbeat_at = now()
          WHERE centre_id = $1 AND batch_id = $2 AND upload = $3 AND status = 'receiving'
         RETURNING 1
       ), written AS (
         INSERT INTO slip_batch_rows AS s (centre_id, batch_id, row_no, upload, slip_id, meter_serial, zone, image_ref, submission_id, error)
         SELECT $1, $2, t.row_no, $3, t.slip_id, t.meter_serial, t.zone, t.image_ref, t.submission_id, t.error
           FROM unnest($7::int[], $8::varchar[], $9::varchar[], $10::varchar[], $11::varchar[], $12::uuid[], $13::text[])
             AS t(row_no, slip_id, meter_serial, zone, image_ref, submission_id, error)
          WHERE EXISTS (SELECT 1 FROM lease)
         ON CONFLICT (centre_id, batch_id, row_no) DO UPDATE
           SET upload = EXCLUDED.upload, slip_id = EXCLUDED.slip_id, meter_serial = EXCLUDED.meter_serial,
               zone = EXCLUDED.zone, image_ref = EXCLUDED.image_ref, submission_id = EXCLUDED.submission_id,
               error = EXCLUDED.error
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM lease)::int AS leased, (SELECT count(*) FROM written)::int AS written`,
      [
        centreId,
        batchId,
        upload,
        counts.rows,
        counts.queued,
        counts.invalid,
        col('row'),
        col('slipId'),
        col('meterSerial'),
        col('zone'),
        col('imageRef'),
        col('submissionId'),
        col('error'),
      ],
    );
    return result.leased === 1;
  }

  /**
   * Ends the upload with its final counts. A complete upload drops the rows an earlier upload of
   * the batch left that this file no longer has. False when the upload no longer holds the batch.
   */
  async finish(
    centreId: string,
    batchId: string,
    upload: number,
    status: Exclude<SlipBatchStatus, 'receiving'>,
    counts: SlipBatchCounts,
    error: string | null = null,
  ): Promise<boolean> {
    const [result]: { done: number }[] = await this.db.query(
      `WITH done AS (
         UPDATE slip_batches
            SET status = $4, row_count = $5, queued_count = $6, invalid_count = $7, error = $8,
                heartbeat_at = now(), finished_at = now()
          WHERE centre_id = $1 AND batch_id = $2 AND upload = $3 AND status = 'receiving'
         RETURNING 1
       ), stale AS (
         DELETE FROM slip_batch_rows
          WHERE centre_id = $1 AND batch_id = $2 AND upload <> $3 AND $4 = 'complete'
            AND EXISTS (SELECT 1 FROM done)
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM done)::int AS done`,
      [centreId, batchId, upload, status, counts.rows, counts.queued, counts.invalid, error],
    );
    return result.done === 1;
  }

  /** The batch with its counts per row status; null when this centre has no such batch. */
  async findSummary(centreId: string, batchId: string): Promise<SlipBatchSummary | null> {
    const [batch]: BatchRow[] = await this.db.query(
      `SELECT batch_id, status, row_count, queued_count, invalid_count, error, received_at, finished_at
         FROM slip_batches WHERE centre_id = $1 AND batch_id = $2`,
      [centreId, batchId],
    );
    if (!batch) return null;
    const counted: { status: SlipRowStatus; n: number }[] = await this.db.query(
      `SELECT ${ROW_STATUS} AS status, count(*)::int AS n
         FROM slip_batch_rows s LEFT JOIN readings r ON r.submission_id = s.submission_id
        WHERE s.centre_id = $1 AND s.batch_id = $2
        GROUP BY 1`,
      [centreId, batchId],
    );
    const rowsByStatus = Object.fromEntries(SLIP_ROW_STATUSES.map((s) => [s, 0])) as Record<
      SlipRowStatus,
      number
    >;
    for (const { status, n } of counted) rowsByStatus[status] = n;
    return {
      batchId: batch.batch_id,
      status: batch.status,
      rows: batch.row_count,
      queued: batch.queued_count,
      invalid: batch.invalid_count,
      error: batch.error,
      receivedAt: batch.received_at,
      finishedAt: batch.finished_at,
      rowsByStatus,
    };
  }

  /** A page of the batch's rows in file order, with the processor's decision where there is one. */
  async listRows(centreId: string, batchId: string, page: SlipRowPage): Promise<SlipRowView[]> {
    const rows: RowRow[] = await this.db.query(
      `SELECT s.row_no, s.slip_id, s.meter_serial, s.zone, s.image_ref, s.submission_id, s.error,
              ${ROW_STATUS} AS status, coalesce(r.reasons, '{}') AS reasons, coalesce(r.warnings, '{}') AS warnings
         FROM slip_batch_rows s LEFT JOIN readings r ON r.submission_id = s.submission_id
        WHERE s.centre_id = $1 AND s.batch_id = $2 AND s.row_no > $3
          AND ($5::text IS NULL OR ${ROW_STATUS} = $5)
        ORDER BY s.row_no
        LIMIT $4`,
      [centreId, batchId, page.after, page.limit, page.status],
    );
    return rows.map(toRowView);
  }
}
