import type { UpsertCounts } from '@gw/persistence';
import type { DataSource } from 'typeorm';

/** A billing table holding one value per two-column key (account and period, account and resource). */
export interface KeyedValueTable {
  table: string;
  key: [string, string];
  value: string;
}

/**
 * Inserts new rows and updates changed values of the table in one statement; importing the same
 * file twice changes nothing. A later row for the same key wins. Rows are written in key order,
 * whatever their order in the file, so two imports at once lock the rows they share in the same
 * order: one waits for the other rather than deadlock with it.
 */
export async function upsertKeyedValues(
  db: DataSource,
  { table, key: [first, second], value }: KeyedValueTable,
  rows: [string, string, string][],
): Promise<UpsertCounts> {
  const latest = [...new Map(rows.map((r) => [`${r[0]}/${r[1]}`, r])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
  const [counts]: UpsertCounts[] = await db.query(
    `WITH written AS (
       INSERT INTO ${table} AS t (${first}, ${second}, ${value})
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::numeric[])
       ON CONFLICT (${first}, ${second}) DO UPDATE
         SET ${value} = EXCLUDED.${value}, imported_at = now()
       WHERE t.${value} IS DISTINCT FROM EXCLUDED.${value}
       RETURNING (xmax = 0) AS inserted
     )
     SELECT count(*) FILTER (WHERE inserted)::int AS imported, count(*) FILTER (WHERE NOT inserted)::int AS updated
       FROM written`,
    [latest.map((r) => r[0]), latest.map((r) => r[1]), latest.map((r) => r[2])],
  );
  return counts;
}
