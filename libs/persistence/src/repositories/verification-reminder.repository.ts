import {
  type ReminderDays,
  type Resource,
  VERIFICATION_REMINDER_SCHEMA,
  type VerificationReminderMessage,
} from '@gw/contracts';
import { type IsoDate, type ReminderRange, toMoscowIso } from '@gw/domain';
import type { DataSource } from 'typeorm';

/** A reminder as stored: the message it is published as, and whether it was. */
export interface StoredReminder {
  message: VerificationReminderMessage;
  published: boolean;
}

interface ReminderRow {
  meter_serial: string;
  due_on: string;
  days_left: ReminderDays;
  account_number: string;
  resource: Resource;
  decided_at: Date;
  published_at: Date | null;
}

const REMINDER_COLUMNS = `meter_serial, due_on::text AS due_on, days_left, account_number, resource, decided_at, published_at`;

export function toStoredReminder(r: ReminderRow): StoredReminder {
  return {
    message: {
      schema: VERIFICATION_REMINDER_SCHEMA,
      accountNumber: r.account_number,
      meterSerial: r.meter_serial,
      resource: r.resource,
      dueOn: r.due_on,
      daysLeft: r.days_left,
      publishedAt: toMoscowIso(r.decided_at),
    },
    published: r.published_at !== null,
  };
}

/**
 * Verification reminders (contract section 9). The key (meter, due date, days left) makes each
 * reminder once whatever runs overlap; the row is the outbox its message is relayed from.
 */
export class VerificationReminderRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Records the reminders due in `ranges` for meters in service on `today` (one statement);
   * returns how many were new. `at` becomes their `publishedAt`, so a republished message is
   * the same message. A meter whose current verification found it unfit has no due date (its
   * `verification_due_on` is the day before the finding), so it gets none.
   */
  async recordDue(today: IsoDate, ranges: ReminderRange[], at: Date): Promise<number> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO verification_reminders (meter_serial, due_on, days_left, account_number, resource, decided_at)
       SELECT m.serial, m.verification_due_on, r.days_left, m.account_number, m.resource, $5
         FROM unnest($1::smallint[], $2::date[], $3::date[]) r (days_left, due_from, due_to)
         JOIN meters m ON m.verification_due_on BETWEEN r.due_from AND r.due_to
        WHERE (m.decommissioned_on IS NULL OR m.decommissioned_on > $4::date)
          AND NOT EXISTS (SELECT 1 FROM meter_verifications v
                           WHERE v.serial = m.serial AND v.verified_on = m.verified_on AND NOT v.applicable)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [
        ranges.map((r) => r.daysLeft),
        ranges.map((r) => r.dueFrom),
        ranges.map((r) => r.dueTo),
        today,
        at,
      ],
    );
    return rows.length;
  }

  /**
   * Locks up to `limit` unpublished reminders, hands their messages to `publish` and marks them
   * published when it resolves (nothing is marked when it throws). Returns how many it handled.
   */
  async publishPending(
    limit: number,
    publish: (messages: VerificationReminderMessage[]) => Promise<void>,
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows: ReminderRow[] = await tx.query(
        `SELECT ${REMINDER_COLUMNS} FROM verification_reminders
          WHERE published_at IS NULL ORDER BY decided_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await publish(rows.map((r) => toStoredReminder(r).message));
      await tx.query(
        `UPDATE verification_reminders r SET published_at = now()
           FROM unnest($1::varchar[], $2::date[], $3::smallint[]) p (serial, due_on, days_left)
          WHERE r.meter_serial = p.serial AND r.due_on = p.due_on AND r.days_left = p.days_left`,
        [rows.map((r) => r.meter_serial), rows.map((r) => r.due_on), rows.map((r) => r.days_left)],
      );
      return rows.length;
    });
  }

  /** An account's reminders, latest due date and fewest days left first. */
  async listForAccount(accountNumber: string): Promise<StoredReminder[]> {
    const rows: ReminderRow[] = await this.db.query(
      `SELECT ${REMINDER_COLUMNS} FROM verification_reminders
        WHERE account_number = $1 ORDER BY due_on DESC, days_left`,
      [accountNumber],
    );
    return rows.map(toStoredReminder);
  }
}
