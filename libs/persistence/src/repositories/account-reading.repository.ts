import type { OutcomeStatus, Resource } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import type { DataSource } from 'typeorm';

/** A reading of an account, from any channel, with the processor's decision. */
export interface AccountReadingView {
  submissionId: string;
  channel: string;
  meterSerial: string;
  /** Null when the serial is not in the registry. */
  resource: Resource | null;
  status: OutcomeStatus;
  reasons: string[];
  warnings: string[];
  billingPeriod: string | null;
  values: { zone: string; value: string }[];
  consumption: { zone: string; value: string }[];
  readAt: string;
  receivedAt: string;
  decidedAt: string;
}

interface AccountReadingRow {
  submission_id: string;
  channel: string;
  meter_serial: string;
  resource: Resource | null;
  status: OutcomeStatus;
  reasons: string[];
  warnings: string[];
  billing_period: string | null;
  submitted_values: { zone: string; value: string }[];
  consumption: { zone: string; value: string }[];
  read_at: Date;
  received_at: Date;
  decided_at: Date;
}

/** Readings as the owner of an account sees them: only those submitted for that account. */
export class AccountReadingRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * The account's readings of one billing period, newest first. A reading rejected before a period
   * was assigned counts in the Moscow month it was read. Capped, since a period holds a handful.
   */
  async listForPeriod(
    accountNumber: string,
    period: string,
    limit = 500,
  ): Promise<AccountReadingView[]> {
    const rows: AccountReadingRow[] = await this.db.query(
      `SELECT r.submission_id, r.channel, r.meter_serial, m.resource, r.status, r.reasons, r.warnings, r.billing_period,
              r.submitted_values, r.consumption, r.read_at, r.received_at, r.decided_at
         FROM readings r
         LEFT JOIN meters m ON m.serial = r.meter_serial
        WHERE r.account_number = $1
          AND COALESCE(r.billing_period, to_char(r.read_at AT TIME ZONE 'Europe/Moscow', 'YYYY-MM')) = $2
        ORDER BY r.read_at DESC, r.decided_at DESC, r.submission_id
        LIMIT $3`,
      [accountNumber, period, limit],
    );
    return rows.map((r) => ({
      submissionId: r.submission_id,
      channel: r.channel,
      meterSerial: r.meter_serial,
      resource: r.resource,
      status: r.status,
      reasons: r.reasons,
      warnings: r.warnings,
      billingPeriod: r.billing_period,
      values: r.submitted_values,
      consumption: r.consumption,
      readAt: toMoscowIso(r.read_at),
      receivedAt: toMoscowIso(r.received_at),
      decidedAt: toMoscowIso(r.decided_at),
    }));
  }
}
