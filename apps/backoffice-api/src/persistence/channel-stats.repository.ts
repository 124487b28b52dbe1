import { type DayRange, moscowMidnight } from '@gw/domain';
import { MOSCOW_ZONE } from '@gw/persistence';
import type { DataSource } from 'typeorm';

/** One channel on one Moscow day, by the readings' current status. */
export interface ChannelDayCounts {
  date: string;
  channel: string;
  received: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  inReview: number;
}

/** Its row: the counts named alike, bar the two below. */
interface ChannelDayRow extends Omit<ChannelDayCounts, 'rejectedByReason' | 'inReview'> {
  rejected_by_reason: Record<string, string | number>;
  in_review: number;
}

/** Per-channel, per-day counts computed by PostgreSQL in one statement. */
export class ChannelStatsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Every (day, channel) of the range, zeros included, for readings received on that Moscow day.
   * One range scan of readings (readings_received_idx) feeds both the status counts and the
   * unnested rejection reasons; the result has days x channels rows, whatever the data volume.
   */
  async daily(range: DayRange, channels: readonly string[]): Promise<ChannelDayCounts[]> {
    const end = new Date(moscowMidnight(range.to).getTime() + 24 * 3600 * 1000);
    const rows: ChannelDayRow[] = await this.db.query(
      `WITH scoped AS MATERIALIZED (
         SELECT (received_at AT TIME ZONE ${MOSCOW_ZONE})::date AS day, channel, status, reasons
           FROM readings
          WHERE received_at >= $1 AND received_at < $2
       ), counts AS (
         SELECT day, channel, count(*) AS received,
                count(*) FILTER (WHERE status = 'accepted') AS accepted,
                count(*) FILTER (WHERE status = 'duplicate') AS duplicate,
                count(*) FILTER (WHERE status = 'rejected') AS rejected,
                count(*) FILTER (WHERE status = 'needs_review') AS in_review
           FROM scoped GROUP BY day, channel
       ), reasons AS (
         SELECT day, channel, jsonb_object_agg(reason, n) AS by_reason
           FROM (SELECT day, channel, reason, count(*) AS n
                   FROM scoped, unnest(reasons) AS reason
                  WHERE status = 'rejected'
                  GROUP BY day, channel, reason) per_reason
          GROUP BY day, channel
       )
       SELECT to_char(d.day, 'YYYY-MM-DD') AS date, ch.channel,
              COALESCE(c.received, 0)::int AS received, COALESCE(c.accepted, 0)::int AS accepted,
              COALESCE(c.duplicate, 0)::int AS duplicate, COALESCE(c.rejected, 0)::int AS rejected,
              COALESCE(r.by_reason, '{}'::jsonb) AS rejected_by_reason, COALESCE(c.in_review, 0)::int AS in_review
         FROM generate_series($3::date, $4::date, interval '1 day') AS d(day)
        CROSS JOIN unnest($5::text[]) WITH ORDINALITY AS ch(channel, position)
         LEFT JOIN counts c ON c.day = d.day AND c.channel = ch.channel
         LEFT JOIN reasons r ON r.day = d.day AND r.channel = ch.channel
        ORDER BY d.day, ch.position`,
      [moscowMidnight(range.from).toISOString(), end.toISOString(), range.from, range.to, channels],
    );
    return rows.map((r) => ({
      date: r.date,
      channel: r.channel,
      received: r.received,
      accepted: r.accepted,
      duplicate: r.duplicate,
      rejected: r.rejected,
      rejectedByReason: Object.fromEntries(
        Object.entries(r.rejected_by_reason).map(([k, v]) => [k, Number(v)]),
      ),
      inReview: r.in_review,
    }));
  }
}
