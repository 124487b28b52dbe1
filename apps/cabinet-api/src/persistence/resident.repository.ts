import { isUuid } from '@gw/contracts';
import { type Changed, queryable, type Transaction } from '@gw/persistence';
import type { DataSource } from 'typeorm';

/** A registration waiting for the code sent to its e-mail. */
export interface PendingRegistration {
  id: string;
  accountNumber: string;
  period: string;
  email: string;
  phone: string;
  createdAt: Date;
}

interface RegistrationRow {
  id: string;
  account_number: string;
  period: string;
  email: string;
  phone: string;
  created_at: Date;
}

export interface LinkedAccount {
  accountNumber: string;
  linkedAt: Date;
}

/** A link to make: the resident, the account and the payment document's period that proved it. */
export interface LinkToMake {
  residentId: string;
  accountNumber: string;
  period: string;
  at: Date;
  linkId: string;
}

/** What linking came to: a new link, the one the resident held already, or none (revoked). */
export type Linking = { status: 'created' | 'held'; linkedAt: Date } | { status: 'revoked' };

/** A resident's link to an account, with what the account's other residents are told of it. */
export interface AccountLink {
  linkId: string;
  residentId: string;
  email: string;
  linkedAt: Date;
}

/** Residents of the web cabinet, their pending registrations and the accounts they proved. */
export class ResidentRepository {
  constructor(private readonly db: DataSource) {}

  async createRegistration(r: PendingRegistration): Promise<void> {
    await this.db.query(
      `INSERT INTO resident_registrations (id, account_number, period, email, phone, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [r.id, r.accountNumber, r.period, r.email, r.phone, r.createdAt],
    );
  }

  /** A registration made at `createdSince` or later; an older one no longer waits for its code. */
  async findRegistration(id: string, createdSince: Date): Promise<PendingRegistration | null> {
    if (!isUuid(id)) return null;
    const [row]: RegistrationRow[] = await this.db.query(
      `SELECT id, account_number, period, email, phone, created_at FROM resident_registrations
        WHERE id = $1 AND created_at >= $2`,
      [id, createdSince],
    );
    return row
      ? {
          id: row.id,
          accountNumber: row.account_number,
          period: row.period,
          email: row.email,
          phone: row.phone,
          createdAt: row.created_at,
        }
      : null;
  }

  async deleteRegistration(id: string, tx?: Transaction): Promise<void> {
    await queryable(this.db, tx).query(`DELETE FROM resident_registrations WHERE id = $1`, [id]);
  }

  /**
   * The resident with this (canonical) e-mail, created when new; a known resident's phone is
   * replaced by the one just given. Returns the resident's id.
   */
  async upsertResident(
    resident: { id: string; email: string; phone: string; at: Date },
    tx?: Transaction,
  ): Promise<string> {
    const [row]: { id: string }[] = await queryable(this.db, tx).query(
      `INSERT INTO residents (id, email, phone, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (email) DO UPDATE SET phone = EXCLUDED.phone, updated_at = EXCLUDED.updated_at
       RETURNING id`,
      [resident.id, resident.email, resident.phone, resident.at],
    );
    return row.id;
  }

  async findIdByEmail(email: string): Promise<string | null> {
    const [row]: { id: string }[] = await this.db.query(
      `SELECT id FROM residents WHERE email = $1`,
      [email],
    );
    return row?.id ?? null;
  }

  /** The epoch new sessions of the resident are issued in; null for an unknown resident. */
  async sessionEpoch(residentId: string): Promise<number | null> {
    const [row]: { session_epoch: number }[] = await this.db.query(
      `SELECT session_epoch FROM residents WHERE id = $1`,
      [residentId],
    );
    return row?.session_epoch ?? null;
  }

  /** Whether a token of this session epoch still holds: the resident exists and has not moved on. */
  async inSessionEpoch(residentId: string, epoch: number): Promise<boolean> {
    if (!isUuid(residentId)) return false;
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM residents WHERE id = $1 AND session_epoch = $2`,
      [residentId, epoch],
    );
    return rows.length === 1;
  }

  /**
   * Links an account, unless the account's residents revoked this resident's link (then it cannot
   * be made again). Linking it again keeps the first link: a request racing another for the same
   * link waits for it and gets it as `held`, so exactly one of them `created` it.
   */
  async link(link: LinkToMake, tx: Transaction): Promise<Linking> {
    // ON CONFLICT DO UPDATE, not DO NOTHING: it waits for a concurrent insert of the pair and
    // returns that row once committed, which a SELECT in the same statement could not see.
    const [row]: { revoked: boolean; linked_at: Date | null; link_id: string | null }[] =
      await queryable(this.db, tx).query(
        `WITH revocation AS (
           SELECT EXISTS (SELECT 1 FROM resident_account_revocations
                           WHERE resident_id = $1 AND account_number = $2) AS revoked
         ), linked AS (
           INSERT INTO resident_accounts
                  (resident_id, account_number, proved_by_period, linked_at, link_id)
           SELECT $1::uuid, $2::varchar, $3::char(7), $4::timestamptz, $5::uuid
             FROM revocation WHERE NOT revoked
           ON CONFLICT (resident_id, account_number)
           DO UPDATE SET linked_at = resident_accounts.linked_at
           RETURNING linked_at, link_id::text
         )
         SELECT revocation.revoked, linked.linked_at, linked.link_id
           FROM revocation LEFT JOIN linked ON true`,
        [link.residentId, link.accountNumber, link.period, link.at, link.linkId],
      );
    if (row.revoked || !row.linked_at) return { status: 'revoked' };
    // The statement reads revocations as of its start: one that waited while a revocation deleted
    // the resident's link then inserts a new link past it. A new statement sees that revocation,
    // and the caller's transaction rolls the link back.
    if (await this.isRevoked(link.residentId, link.accountNumber, tx)) return { status: 'revoked' };
    return { status: row.link_id === link.linkId ? 'created' : 'held', linkedAt: row.linked_at };
  }

  /** Every link of an account, the earliest first. */
  async linksOf(accountNumber: string, tx?: Transaction): Promise<AccountLink[]> {
    const rows: { link_id: string; resident_id: string; email: string; linked_at: Date }[] =
      await queryable(this.db, tx).query(
        `SELECT a.link_id, a.resident_id, r.email, a.linked_at
           FROM resident_accounts a JOIN residents r ON r.id = a.resident_id
          WHERE a.account_number = $1 ORDER BY a.linked_at, a.link_id`,
        [accountNumber],
      );
    return rows.map((r) => ({
      linkId: r.link_id,
      residentId: r.resident_id,
      email: r.email,
      linkedAt: r.linked_at,
    }));
  }

  /** Whether the account's residents revoked this resident's link to it. */
  async isRevoked(residentId: string, accountNumber: string, tx?: Transaction): Promise<boolean> {
    const rows: unknown[] = await queryable(this.db, tx).query(
      `SELECT 1 FROM resident_account_revocations WHERE resident_id = $1 AND account_number = $2`,
      [residentId, accountNumber],
    );
    return rows.length > 0;
  }

  /** Removes a link and keeps its resident from making it again; false when it was gone already. */
  async revokeLink(linkId: string, revokedBy: string, at: Date): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `WITH gone AS (
         DELETE FROM resident_accounts WHERE link_id = $1 RETURNING resident_id, account_number
       ), revocation AS (
         INSERT INTO resident_account_revocations
                (resident_id, account_number, revoked_by, revoked_at)
         SELECT resident_id, account_number, $2, $3 FROM gone
         ON CONFLICT (resident_id, account_number) DO NOTHING
       )
       SELECT 1 FROM gone`,
      [linkId, revokedBy, at],
    );
    return rows.length > 0;
  }

  async emailOf(residentId: string): Promise<string | null> {
    const [row] = await this.db.query(`SELECT email FROM residents WHERE id = $1`, [residentId]);
    return row?.email ?? null;
  }

  async isLinked(residentId: string, accountNumber: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM resident_accounts WHERE resident_id = $1 AND account_number = $2`,
      [residentId, accountNumber],
    );
    return rows.length > 0;
  }

  async listAccounts(residentId: string): Promise<LinkedAccount[]> {
    const rows: { account_number: string; linked_at: Date }[] = await this.db.query(
      `SELECT account_number, linked_at FROM resident_accounts WHERE resident_id = $1 ORDER BY account_number`,
      [residentId],
    );
    return rows.map((r) => ({ accountNumber: r.account_number, linkedAt: r.linked_at }));
  }

  /** Forgets registrations nobody confirmed (with the e-mail and phone they carry). */
  async purgeRegistrations(createdBefore: Date): Promise<number> {
    const [, count]: Changed = await this.db.query(
      `DELETE FROM resident_registrations WHERE created_at < $1`,
      [createdBefore],
    );
    return count;
  }
}
