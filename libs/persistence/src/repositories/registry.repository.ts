import type { RegistryMeter } from '@gw/domain';
import type { DataSource } from 'typeorm';

export interface UpsertCounts {
  imported: number;
  updated: number;
}

/** `source` and `recorded_by` of the verifications that come with registry rows. */
const REGISTRY = 'registry';

/** Meters and accounts as loaded from the billing system's registry. */
export class RegistryRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Inserts new meters and updates changed ones in two set-based statements; unchanged rows are
   * left alone, so importing the same file twice changes nothing. A later row for the same serial wins.
   * A row does not take a meter back from a verification recorded in the back office to an older
   * one; the row's verification is still kept in the history.
   */
  async upsertMeters(rows: RegistryMeter[]): Promise<UpsertCounts> {
    const meters = [...new Map(rows.map((r) => [r.serial, r])).values()];
    const col = <K extends keyof RegistryMeter>(key: K) => meters.map((m) => m[key]);
    const initial = (i: number) => meters.map((m) => m.initial[i]);
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO accounts (account_number) SELECT DISTINCT unnest($1::varchar[]) ON CONFLICT DO NOTHING`,
        [col('accountNumber')],
      );
      const [counts]: UpsertCounts[] = await tx.query(
        `WITH given AS (
           SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::smallint[], $5::smallint[], $6::smallint[],
             $7::date[], $8::date[], $9::int[], $10::date[], $11::date[], $12::numeric[], $13::numeric[], $14::numeric[], $15::date[],
             $17::varchar[])
             AS t(serial, account_number, resource, zones, integer_digits, fraction_digits, installed_on, verified_on,
                  verification_interval_months, verification_due_on, decommissioned_on, initial_t1, initial_t2, initial_t3, initial_on,
                  type_number)
         ), input AS (
           -- A verification recorded in the back office stays the meter's current one when the row
           -- carries an older date (a registry exported before it was recorded); a registry date
           -- still corrects a registry date, either way.
           SELECT t.serial, t.account_number, t.resource, t.zones, t.integer_digits, t.fraction_digits, t.installed_on,
                  CASE WHEN kept.serial IS NULL THEN t.verified_on ELSE cur.verified_on END,
                  CASE WHEN kept.serial IS NULL THEN t.verification_interval_months ELSE cur.verification_interval_months END,
                  CASE WHEN kept.serial IS NULL THEN t.verification_due_on ELSE cur.verification_due_on END,
                  t.decommissioned_on, t.initial_t1, t.initial_t2, t.initial_t3, t.initial_on, t.type_number
             FROM given t
             LEFT JOIN meters cur ON cur.serial = t.serial
             LEFT JOIN meter_verifications kept ON kept.serial = cur.serial AND kept.verified_on = cur.verified_on
                   AND kept.source <> $16 AND cur.verified_on > t.verified_on
         ), written AS (
           INSERT INTO meters AS m (serial, account_number, resource, zones, integer_digits, fraction_digits, installed_on, verified_on,
             verification_interval_months, verification_due_on, decommissioned_on, initial_t1, initial_t2, initial_t3, initial_on,
             type_number)
           SELECT * FROM input
           ON CONFLICT (serial) DO UPDATE SET
             account_number = EXCLUDED.account_number, resource = EXCLUDED.resource, zones = EXCLUDED.zones,
             integer_digits = EXCLUDED.integer_digits, fraction_digits = EXCLUDED.fraction_digits,
             installed_on = EXCLUDED.installed_on, verified_on = EXCLUDED.verified_on,
             verification_interval_months = EXCLUDED.verification_interval_months,
             verification_due_on = EXCLUDED.verification_due_on, decommissioned_on = EXCLUDED.decommissioned_on,
             initial_t1 = EXCLUDED.initial_t1, initial_t2 = EXCLUDED.initial_t2, initial_t3 = EXCLUDED.initial_t3,
             initial_on = EXCLUDED.initial_on, type_number = EXCLUDED.type_number, updated_at = now()
           WHERE (m.account_number, m.resource, m.zones, m.integer_digits, m.fraction_digits, m.installed_on, m.verified_on,
                  m.verification_interval_months, m.decommissioned_on, m.initial_t1, m.initial_t2, m.initial_t3, m.initial_on,
                  m.type_number)
             IS DISTINCT FROM
                 (EXCLUDED.account_number, EXCLUDED.resource, EXCLUDED.zones, EXCLUDED.integer_digits, EXCLUDED.fraction_digits,
                  EXCLUDED.installed_on, EXCLUDED.verified_on, EXCLUDED.verification_interval_months, EXCLUDED.decommissioned_on,
                  EXCLUDED.initial_t1, EXCLUDED.initial_t2, EXCLUDED.initial_t3, EXCLUDED.initial_on, EXCLUDED.type_number)
           RETURNING (xmax = 0) AS inserted
         )
         SELECT count(*) FILTER (WHERE inserted)::int AS imported, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM written`,
        [
          col('serial'),
          col('accountNumber'),
          col('resource'),
          col('zones'),
          col('integerDigits'),
          col('fractionDigits'),
          col('installedOn'),
          col('verifiedOn'),
          col('verificationIntervalMonths'),
          col('verificationDueOn'),
          col('decommissionedOn'),
          initial(0),
          initial(1),
          initial(2),
          col('initialOn'),
          REGISTRY,
          col('typeNumber'),
        ],
      );
      await tx.query(
        `INSERT INTO meter_verifications (serial, verified_on, interval_months, due_on, recorded_by, source)
         SELECT *, $5, $5 FROM unnest($1::varchar[], $2::date[], $3::int[], $4::date[])
         ON CONFLICT (serial, verified_on) DO NOTHING`,
        [
          col('serial'),
          col('verifiedOn'),
          col('verificationIntervalMonths'),
          col('verificationDueOn'),
          REGISTRY,
        ],
      );
      return counts;
    });
  }
}
