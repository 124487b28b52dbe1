import type { SubmissionMessage } from '@gw/contracts';
import type { Changed } from '@gw/persistence';
import type { DataSource } from 'typeorm';

export type TerminalTxnStatus = 'pending' | 'done';

/** A terminal `pay` as kept for idempotency (contract section 7.2). */
export interface TerminalTxn {
  terminalId: string;
  txnId: string;
  prvTxn: string;
  paramsHash: string;
  accountNumber: string;
  /** Two fraction digits, as echoed to the terminal. */
  sum: string;
  submissions: SubmissionMessage[];
  status: TerminalTxnStatus;
}

export type NewTerminalTxn = Omit<TerminalTxn, 'prvTxn' | 'status'>;

const COLUMNS = `terminal_id, txn_id, prv_txn::text, params_hash, account_number, sum::text, submissions, status`;

interface TxnRow {
  terminal_id: string;
  txn_id: string;
  prv_txn: string;
  params_hash: string;
  account_number: string;
  sum: string;
  submissions: SubmissionMessage[];
  status: TerminalTxnStatus;
}

const toTxn = (r: TxnRow): TerminalTxn => ({
  terminalId: r.terminal_id,
  txnId: r.txn_id,
  prvTxn: r.prv_txn,
  paramsHash: r.params_hash,
  accountNumber: r.account_number,
  sum: r.sum,
  submissions: r.submissions,
  status: r.status,
});

/**
 * The durable `txn_id` store. A pay is inserted `pending` with its attempt lease taken, published,
 * then marked `done`; an attempt that fails releases the lease so a retry can finish the same txn.
 */
export class TerminalTxnRepository {
  constructor(private readonly db: DataSource) {}

  async find(terminalId: string, txnId: string): Promise<TerminalTxn | null> {
    const [row]: TxnRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM terminal_txns WHERE terminal_id = $1 AND txn_id = $2`,
      [terminalId, txnId],
    );
    return row ? toTxn(row) : null;
  }

  /** Inserts the txn as pending, leased to this attempt; null when the txn_id is already known. */
  async insertPending(txn: NewTerminalTxn): Promise<TerminalTxn | null> {
    const [row]: TxnRow[] = await this.db.query(
      `INSERT INTO terminal_txns (terminal_id, txn_id, params_hash, account_number, sum, submission_ids, submissions,
                                  status, attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7::jsonb, 'pending', now())
       ON CONFLICT (terminal_id, txn_id) DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        txn.terminalId,
        txn.txnId,
        txn.paramsHash,
        txn.accountNumber,
        txn.sum,
        txn.submissions.map((s) => s.submissionId),
        JSON.stringify(txn.submissions),
      ],
    );
    return row ? toTxn(row) : null;
  }

  /**
   * Takes the attempt lease of a pending txn. False while another attempt holds it (a retry that
   * arrived while the first is still publishing), so the same txn is not published twice at once.
   */
  async claim(terminalId: string, txnId: string, leaseMs: number): Promise<boolean> {
    // An UPDATE answers [rows, count]: the count says whether the lease was taken.
    const [, count]: Changed = await this.db.query(
      `UPDATE terminal_txns SET attempt_at = now()
        WHERE terminal_id = $1 AND txn_id = $2 AND status = 'pending'
          AND (attempt_at IS NULL OR attempt_at < now() - make_interval(secs => $3::float8 / 1000))`,
      [terminalId, txnId, leaseMs],
    );
    return count > 0;
  }

  /** Gives the lease back after a failed attempt, so the terminal's retry can complete the txn. */
  async release(terminalId: string, txnId: string): Promise<void> {
    await this.db.query(
      `UPDATE terminal_txns SET attempt_at = NULL WHERE terminal_id = $1 AND txn_id = $2 AND status = 'pending'`,
      [terminalId, txnId],
    );
  }

  async complete(terminalId: string, txnId: string): Promise<void> {
    await this.db.query(
      `UPDATE terminal_txns SET status = 'done', completed_at = now(), attempt_at = NULL
        WHERE terminal_id = $1 AND txn_id = $2 AND status = 'pending'`,
      [terminalId, txnId],
    );
  }
}
