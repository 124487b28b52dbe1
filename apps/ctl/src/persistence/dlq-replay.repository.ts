import { queryable, type Transaction } from '@gw/persistence';
import type { DataSource } from 'typeorm';

/** A dead letter by its place in the DLQ. */
export interface DlqPlace {
  partition: number;
  offset: string;
}

/** Which dead letters `ctl dlq replay` has re-published (table `dlq_replays`). */
export class DlqReplayRepository {
  constructor(private readonly db: DataSource) {}

  /** The places among `places` already replayed, as `partition/offset`. */
  async replayed(topic: string, places: DlqPlace[]): Promise<Set<string>> {
    if (places.length === 0) return new Set();
    const rows: { dlq_partition: number; dlq_offset: string }[] = await this.db.query(
      `SELECT dlq_partition, dlq_offset::text AS dlq_offset FROM dlq_replays
        WHERE dlq_topic = $1 AND (dlq_partition, dlq_offset) IN
              (SELECT * FROM unnest($2::int[], $3::bigint[]))`,
      [topic, places.map((p) => p.partition), places.map((p) => p.offset)],
    );
    return new Set(rows.map((r) => `${r.dlq_partition}/${r.dlq_offset}`));
  }

  /**
   * Records the places as replayed to `targets` and returns those this call recorded, as
   * `partition/offset`: a place another replay recorded first (or is recording now, in a
   * transaction not yet committed, which this one then waits for) is left out.
   */
  async claim(
    tx: Transaction,
    topic: string,
    places: (DlqPlace & { target: string })[],
  ): Promise<Set<string>> {
    if (places.length === 0) return new Set();
    const rows: { dlq_partition: number; dlq_offset: string }[] = await queryable(
      this.db,
      tx,
    ).query(
      `INSERT INTO dlq_replays (dlq_topic, dlq_partition, dlq_offset, target_topic)
       SELECT $1, * FROM unnest($2::int[], $3::bigint[], $4::varchar[])
       ON CONFLICT DO NOTHING
       RETURNING dlq_partition, dlq_offset::text AS dlq_offset`,
      [
        topic,
        places.map((p) => p.partition),
        places.map((p) => p.offset),
        places.map((p) => p.target),
      ],
    );
    return new Set(rows.map((r) => `${r.dlq_partition}/${r.dlq_offset}`));
  }
}
