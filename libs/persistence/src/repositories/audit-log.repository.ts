import type { DataSource } from 'typeorm';
import { queryable, type Transaction, transaction } from '../transaction';

/** One operator action: who, what, on which subject, and the state before and after it. */
export interface AuditEntry {
  login: string;
  role: string;
  action: string;
  subject: string;
  before: unknown;
  after: unknown;
}

export interface AuditRecord extends AuditEntry {
  id: string;
  at: Date;
}

interface AuditRow {
  id: string;
  at: Date;
  operator_login: string;
  operator_role: string;
  action: string;
  subject: string;
  before: unknown;
  after: unknown;
}

function toAuditRecord(r: AuditRow): AuditRecord {
  return {
    id: r.id,
    at: r.at,
    login: r.operator_login,
    role: r.operator_role,
    action: r.action,
    subject: r.subject,
    before: r.before,
    after: r.after,
  };
}

export interface AuditFilter {
  from: Date | null;
  to: Date | null;
  login: string | null;
  action: string | null;
  subject: string | null;
  /** Entries older than this id (the previous page's last id). */
  beforeId: string | null;
  limit: number;
}

/**
 * The append-only log of operator actions. Entries are written in the transaction of the action
 * they describe, so an action and its entry are committed together or not at all; a trigger in
 * the database refuses UPDATE, DELETE and TRUNCATE.
 */
export class AuditLogRepository {
  constructor(private readonly db: DataSource) {}

  async append(tx: Transaction, entry: AuditEntry): Promise<void> {
    await queryable(this.db, tx).query(
      `INSERT INTO audit_log (operator_login, operator_role, action, subject, before, after)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)`,
      [
        entry.login,
        entry.role,
        entry.action,
        entry.subject,
        entry.before === null ? null : JSON.stringify(entry.before),
        entry.after === null ? null : JSON.stringify(entry.after),
      ],
    );
  }

  /** An action that is nothing but its log entry (a login), in a transaction of its own. */
  appendAlone(entry: AuditEntry): Promise<void> {
    return transaction(this.db, (tx) => this.append(tx, entry));
  }

  /** Newest first. A login, and an operator's as the subject (`operator:<login>`), ignore case. */
  async list(filter: AuditFilter): Promise<AuditRecord[]> {
    const rows: AuditRow[] = await this.db.query(
      `SELECT id, at, operator_login, operator_role, action, subject, before, after
         FROM audit_log
        WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2)
          AND ($3::text IS NULL OR lower(operator_login) = lower($3))
          AND ($4::text IS NULL OR action = $4)
          AND ($5::text IS NULL OR CASE WHEN $5 LIKE 'operator:%'
                THEN subject LIKE 'operator:%' AND lower(subject) = lower($5)
                ELSE subject = $5 END)
          AND ($6::bigint IS NULL OR id < $6)
        ORDER BY id DESC
        LIMIT $7`,
      [
        filter.from?.toISOString() ?? null,
        filter.to?.toISOString() ?? null,
        filter.login,
        filter.action,
        filter.subject,
        filter.beforeId,
        filter.limit,
      ],
    );
    return rows.map(toAuditRecord);
  }
}
