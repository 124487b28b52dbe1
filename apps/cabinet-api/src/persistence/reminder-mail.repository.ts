import type { ReminderDays, Resource } from '@gw/contracts';
import type { DataSource } from 'typeorm';

/**
 * Reminders older than this are no longer mailed (one that could not be sent for a week has been
 * overtaken by the next, and the page shows it anyway).
 */
const MAIL_WITHIN_DAYS = 7;

/** A reminder one resident with the account in the cabinet has not been mailed yet. */
export interface PendingReminderMail {
  meterSerial: string;
  dueOn: string;
  daysLeft: ReminderDays;
  accountNumber: string;
  resource: Resource;
  residentId: string;
  email: string;
  /** When the reminder was decided, exact to the microsecond (as text), for the next page. */
  decidedAt: string;
}

/** A pending mail's place in the order `pending` returns them: a page starts after it. */
export type PendingReminderMailKey = Pick<
  PendingReminderMail,
  'decidedAt' | 'meterSerial' | 'dueOn' | 'daysLeft' | 'residentId'
>;

interface PendingRow {
  meter_serial: string;
  due_on: string;
  days_left: ReminderDays;
  account_number: string;
  resource: Resource;
  resident_id: string;
  email: string;
  decided_at: string;
}

/**
 * The cabinet's e-mails of verification reminders: one per reminder and resident, to residents
 * who had the account linked when the reminder was decided (a later link sees it on the page), for
 * a week after it was decided.
 */
export class ReminderMailRepository {
  constructor(private readonly db: DataSource) {}

  /** The oldest `limit` pending mails after `after` (from the first without it). */
  async pending(limit: number, after?: PendingReminderMailKey): Promise<PendingReminderMail[]> {
    const rows: PendingRow[] = await this.db.query(
      `SELECT r.meter_serial, r.due_on::text AS due_on, r.days_left, r.account_number, r.resource,
              a.resident_id, p.email, r.decided_at::text AS decided_at
         FROM verification_reminders r
         JOIN resident_accounts a ON a.account_number = r.account_number AND a.linked_at <= r.decided_at
         JOIN residents p ON p.id = a.resident_id
        WHERE r.decided_at > now() - make_interval(days => $2)
          AND ($3::timestamptz IS NULL
               OR (r.decided_at, r.meter_serial, r.due_on, r.days_left, a.resident_id)
                  > ($3::timestamptz, $4::varchar, $5::date, $6::smallint, $7::uuid))
          AND NOT EXISTS (SELECT 1 FROM verification_reminder_mails m
                           WHERE m.meter_serial = r.meter_serial AND m.due_on = r.due_on
                             AND m.days_left = r.days_left AND m.resident_id = a.resident_id)
        ORDER BY r.decided_at, r.meter_serial, r.due_on, r.days_left, a.resident_id
        LIMIT $1`,
      [
        limit,
        MAIL_WITHIN_DAYS,
        after?.decidedAt ?? null,
        after?.meterSerial ?? null,
        after?.dueOn ?? null,
        after?.daysLeft ?? null,
        after?.residentId ?? null,
      ],
    );
    return rows.map((r) => ({
      meterSerial: r.meter_serial,
      dueOn: r.due_on,
      daysLeft: r.days_left,
      accountNumber: r.account_number,
      resource: r.resource,
      residentId: r.resident_id,
      email: r.email,
      decidedAt: r.decided_at,
    }));
  }

  /**
   * Records the mail and runs `send` in one transaction: a failed send records nothing, and a
   * second instance sending the same mail waits on the key and then finds it taken. Returns
   * whether this call sent it.
   */
  async sendOnce(mail: PendingReminderMail, send: () => Promise<void>): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const claimed: unknown[] = await tx.query(
        `INSERT INTO verification_reminder_mails (meter_serial, due_on, days_left, resident_id, sent_at)
         VALUES ($1, $2, $3, $4, now()) ON CONFLICT DO NOTHING RETURNING 1`,
        [mail.meterSerial, mail.dueOn, mail.daysLeft, mail.residentId],
      );
      if (claimed.length === 0) return false;
      await send();
      return true;
    });
  }
}
