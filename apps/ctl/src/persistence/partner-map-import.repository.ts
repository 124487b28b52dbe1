import type { PartnerMapping } from '@gw/domain';
import type { UpsertCounts } from '@gw/persistence';
import type { DataSource, EntityManager } from 'typeorm';

/** Kept rows one statement writes: a few seconds of work on a 2-core machine. */
const WRITE_SLICE = 50_000;

/** The staged rows that survive when the file is applied top to bottom (see `merge`), numbered. */
const KEPT = `SELECT row_number() OVER () AS n, partner_account, partner_meter, account_number, serial
  FROM (SELECT *, max(line) OVER (PARTITION BY partner_account, partner_meter) AS last_of_pair,
                  max(line) OVER (PARTITION BY serial) AS last_of_serial
          FROM partner_map_import) s
 WHERE line = last_of_pair AND line = last_of_serial`;

/**
 * Writes the staged file as if its rows were applied top to bottom: a row is lost when a later one
 * names the same partner pair (it is overwritten) or the same serial (a meter has one partner pair,
 * so the serial moves to the later pair), and a pair or serial the file names keeps only what
 * survives. Counts new pairs and pairs now pointing elsewhere against the table as it was.
 */
async function merge(tx: EntityManager): Promise<UpsertCounts> {
  await tx.query(`CREATE TEMPORARY TABLE partner_map_kept ON COMMIT DROP AS ${KEPT}`);
  const [{ kept, ...counts }]: (UpsertCounts & { kept: number })[] = await tx.query(
    `SELECT count(*)::int AS kept,
            count(*) FILTER (WHERE pm.serial IS NULL)::int AS imported,
            count(*) FILTER (WHERE (pm.account_number, pm.serial) <> (k.account_number, k.serial))::int AS updated
       FROM partner_map_kept k
       LEFT JOIN partner_meters pm USING (partner_account, partner_meter)`,
  );
  // One statement per key, each a join the planner can hash, rather than one with an OR of both.
  for (const namedByFile of [
    '(pm.partner_account, pm.partner_meter) = (i.partner_account, i.partner_meter)',
    'pm.serial = i.serial',
  ])
    await tx.query(
      `DELETE FROM partner_meters pm
        USING partner_map_import i
        WHERE ${namedByFile}
          AND NOT EXISTS (SELECT FROM partner_map_kept k
                           WHERE (k.partner_account, k.partner_meter, k.serial)
                               = (pm.partner_account, pm.partner_meter, pm.serial))`,
    );
  // What is left of a pair the file names is its kept row, but for the account number; so the
  // kept rows can be written in slices, none taking a serial another one still holds.
  for (let written = 0; written < kept; written += WRITE_SLICE)
    await tx.query(
      `INSERT INTO partner_meters AS pm (partner_account, partner_meter, account_number, serial)
       SELECT partner_account, partner_meter, account_number, serial FROM partner_map_kept
        WHERE n > $1 AND n <= $2
       ON CONFLICT (partner_account, partner_meter) DO UPDATE
         SET account_number = EXCLUDED.account_number, updated_at = now()
       WHERE pm.account_number <> EXCLUDED.account_number`,
      [written, written + WRITE_SLICE],
    );
  return counts;
}

/** Loads the Mosenergosbyt cross-reference (contract section 4). */
export class PartnerMapImportRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * A whole cross-reference file in one transaction: each `stage(rows, lines)` call while `feed`
   * runs inserts its rows, with their lines, into a temporary table, and once `feed` is done they
   * are merged at once, so the table never shows part of the file, and a pair listed twice never
   * points for a while where an earlier row of it says. Unchanged pairs are left alone: importing
   * the same file twice changes nothing. When `feed` or a write throws, nothing is written.
   */
  async importMappings<R>(
    feed: (stage: (rows: PartnerMapping[], lines: number[]) => Promise<void>) => Promise<R>,
  ): Promise<{ fed: R; counts: UpsertCounts }> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        `CREATE TEMPORARY TABLE partner_map_import (
           line int, partner_account varchar, partner_meter varchar, account_number varchar, serial varchar
         ) ON COMMIT DROP`,
      );
      const fed = await feed(async (rows, lines) => {
        const col = <K extends keyof PartnerMapping>(key: K) => rows.map((r) => r[key]);
        await tx.query(
          `INSERT INTO partner_map_import
           SELECT * FROM unnest($1::int[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[])`,
          [lines, col('partnerAccount'), col('partnerMeter'), col('accountNumber'), col('serial')],
        );
      });
      return { fed, counts: await merge(tx) };
    });
  }
}
