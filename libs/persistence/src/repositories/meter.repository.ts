import type { Resource, Zone } from '@gw/contracts';
import { formatUnits, toUnits, type VerificationPeriod } from '@gw/domain';
import type { DataSource } from 'typeorm';
import { MOSCOW_ZONE } from '../moscow-zone';

/** A meter of an account with what every channel shows about it. */
export interface AccountMeter {
  serial: string;
  accountNumber: string;
  resource: Resource;
  zones: number;
  integerDigits: number;
  fractionDigits: number;
  installedOn: string;
  verifiedOn: string;
  verificationDueOn: string;
  decommissionedOn: string | null;
  /** The meter's verification history, which judges its standing on a given day. */
  verifications: VerificationPeriod[];
  /** The latest accepted reading (or the registry's initial values when there is none yet). */
  lastAccepted: {
    readAt: Date;
    billingPeriod: string | null;
    values: { zone: Zone; value: string }[];
  } | null;
}

/** The columns of a meter's row every query about its register reads. */
export interface MeterRegisterRow {
  serial: string;
  account_number: string;
  resource: Resource;
  zones: number;
  integer_digits: number;
  fraction_digits: number;
  due_on: string;
  decommissioned_on: string | null;
}

interface MeterRow extends MeterRegisterRow {
  installed_on: string;
  verified_on: string;
  verifications: VerificationPeriod[];
  read_at: Date | null;
  billing_period: string | null;
  t1: string | null;
  t2: string | null;
  t3: string | null;
}

function toAccountMeter(r: MeterRow): AccountMeter {
  const values = (['T1', 'T2', 'T3'] as Zone[])
    .map((zone, i) => ({ zone, text: [r.t1, r.t2, r.t3][i] }))
    .filter((v): v is { zone: Zone; text: string } => v.text !== null)
    .map(({ zone, text }) => ({
      zone,
      value: formatUnits(toUnits(text) ?? 0n, r.fraction_digits),
    }));
  return {
    serial: r.serial,
    accountNumber: r.account_number,
    resource: r.resource,
    zones: r.zones,
    integerDigits: r.integer_digits,
    fractionDigits: r.fraction_digits,
    installedOn: r.installed_on,
    verifiedOn: r.verified_on,
    verificationDueOn: r.due_on,
    decommissionedOn: r.decommissioned_on,
    verifications: r.verifications,
    lastAccepted: r.read_at ? { readAt: r.read_at, billingPeriod: r.billing_period, values } : null,
  };
}

/** Meters as channels and operators look them up. */
export class MeterRepository {
  constructor(private readonly db: DataSource) {}

  async accountExists(accountNumber: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM accounts WHERE account_number = $1',
      [accountNumber],
    );
    return rows.length > 0;
  }

  /** The account's meters with their last accepted values, in serial order. */
  async listByAccount(accountNumber: string): Promise<AccountMeter[]> {
    return this.select('m.account_number = $1', [accountNumber]);
  }

  async findBySerial(serial: string): Promise<AccountMeter | null> {
    const [meter] = await this.select('m.serial = $1', [serial]);
    return meter ?? null;
  }

  private async select(where: string, params: unknown[]): Promise<AccountMeter[]> {
    const rows: MeterRow[] = await this.db.query(
      `SELECT m.serial, m.account_number, m.resource, m.zones, m.integer_digits, m.fraction_digits,
              m.installed_on::text, m.verified_on::text, m.verification_due_on::text AS due_on, m.decommissioned_on::text,
              COALESCE(r.read_at, m.initial_on::timestamp AT TIME ZONE ${MOSCOW_ZONE}) AS read_at, r.billing_period,
              COALESCE(r.t1, m.initial_t1)::text AS t1,
              COALESCE(r.t2, m.initial_t2)::text AS t2,
              COALESCE(r.t3, m.initial_t3)::text AS t3,
              (SELECT coalesce(json_agg(json_build_object('verifiedOn', v.verified_on::text, 'dueOn', v.due_on::text,
                                                          'applicable', v.applicable)), '[]')
                 FROM meter_verifications v WHERE v.serial = m.serial) AS verifications
         FROM meters m
         LEFT JOIN LATERAL (
           SELECT read_at, billing_period, t1, t2, t3 FROM readings
            WHERE meter_serial = m.serial AND status = 'accepted'
            ORDER BY read_at DESC LIMIT 1
         ) r ON true
        WHERE ${where}
        ORDER BY m.serial`,
      params,
    );
    return rows.map(toAccountMeter);
  }
}
