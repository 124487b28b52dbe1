import type { Channel, SubmissionMessage, Zone } from '@gw/contracts';
import { type OutboundReading, type PartnerReading, toPartnerSubmission } from '@gw/domain';
import { type Changed, queryable, type Transaction } from '@gw/persistence';
import type { DataSource } from 'typeorm';

/** A partner reading that has no cross-reference row yet. */
export interface ParkedReading {
  reading: PartnerReading;
  reason: string;
  receivedAt: Date;
  partition: number;
  offset: string;
}

/** A parked reading whose mapping now exists. */
export interface ReleasableReading {
  reading: PartnerReading;
  receivedAt: Date;
  accountNumber: string;
  serial: string;
}

/** What a partner msgId became when it was first published: the meter it was mapped to then. */
export interface RecordedMessage {
  accountNumber: string;
  serial: string;
  /** When the message first reached us. */
  receivedAt: Date;
}

/**
 * The canonical submission of `reading` as its msgId was first recorded: the same submissionId,
 * meter and `receivedAt` whatever the cross-reference says now.
 */
export function asRecorded(
  reading: PartnerReading,
  records: Map<string, RecordedMessage>,
): SubmissionMessage {
  const first = records.get(reading.msgId);
  if (!first) throw new Error(`msgId "${reading.msgId}" has no record`);
  return toPartnerSubmission(reading, first, first.receivedAt);
}

/** Parked partner readings, what partner msgIds became, and the record of what was sent to the partner. */
export class PartnerFeedRepository {
  constructor(private readonly db: DataSource) {}

  /** The records of those of these msgIds that were published before, by msgId. */
  async findRecorded(msgIds: string[]): Promise<Map<string, RecordedMessage>> {
    if (msgIds.length === 0) return new Map();
    const rows: { msg_id: string; account_number: string; serial: string; received_at: Date }[] =
      await this.db.query(
        `SELECT msg_id, account_number, serial, received_at FROM partner_messages
          WHERE msg_id = ANY($1::varchar[])`,
        [msgIds],
      );
    return new Map(
      rows.map((r) => [
        r.msg_id,
        { accountNumber: r.account_number, serial: r.serial, receivedAt: r.received_at },
      ]),
    );
  }

  /**
   * Records partner submissions about to be published as what their msgIds became, where a msgId
   * has no record yet (the first of them in a batch wins), and returns the record of each msgId:
   * its first, whoever wrote it. Two instances recording one msgId at once agree on one record.
   * Committed at once, before the publication: a crash after Kafka took a message must still
   * leave its msgId recorded.
   */
  async record(submissions: SubmissionMessage[]): Promise<Map<string, RecordedMessage>> {
    if (submissions.length === 0) return new Map();
    await this.db.query(
      `INSERT INTO partner_messages (msg_id, submission_id, account_number, serial, received_at)
       SELECT * FROM unnest($1::varchar[], $2::uuid[], $3::varchar[], $4::varchar[], $5::timestamptz[])
       ON CONFLICT (msg_id) DO NOTHING`,
      [
        submissions.map((s) => s.source.ref),
        submissions.map((s) => s.submissionId),
        submissions.map((s) => s.accountNumber),
        submissions.map((s) => s.meterSerial),
        submissions.map((s) => s.receivedAt),
      ],
    );
    // A statement of its own: it sees a record another instance committed while the insert waited.
    return this.findRecorded(submissions.map((s) => s.source.ref));
  }

  /** Parks readings in one statement; a reading parked before stays as it was. Returns how many are new. */
  async park(rows: ParkedReading[]): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO partner_parked_readings
              (msg_id, partner_account, partner_meter, reading, reason, received_at, kafka_partition, kafka_offset)
       SELECT msg_id, partner_account, partner_meter, reading::jsonb, reason, received_at, kafka_partition, kafka_offset
         FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::text[], $5::text[], $6::timestamptz[],
                     $7::int[], $8::bigint[])
           AS t(msg_id, partner_account, partner_meter, reading, reason, received_at, kafka_partition, kafka_offset)
       ON CONFLICT DO NOTHING
       RETURNING msg_id`,
      [
        rows.map((r) => r.reading.msgId),
        rows.map((r) => r.reading.partnerAccount),
        rows.map((r) => r.reading.partnerMeter),
        rows.map((r) => JSON.stringify(r.reading)),
        rows.map((r) => r.reason),
        rows.map((r) => r.receivedAt.toISOString()),
        rows.map((r) => r.partition),
        rows.map((r) => r.offset),
      ],
    );
    return inserted.length;
  }

  /**
   * Of these partner pairs, those with parked readings not yet released, in one query. The
   * partial index holds only the waiting rows, so when nothing waits this costs next to nothing.
   */
  async findWaitingPairs(
    pairs: Pick<PartnerReading, 'partnerAccount' | 'partnerMeter'>[],
  ): Promise<Pick<PartnerReading, 'partnerAccount' | 'partnerMeter'>[]> {
    if (pairs.length === 0) return [];
    const rows: { partner_account: string; partner_meter: string }[] = await this.db.query(
      `SELECT DISTINCT i.partner_account, i.partner_meter
         FROM unnest($1::varchar[], $2::varchar[]) AS i(partner_account, partner_meter)
        WHERE EXISTS (SELECT 1 FROM partner_parked_readings p
                       WHERE p.partner_account = i.partner_account AND p.partner_meter = i.partner_meter
                         AND p.released_at IS NULL)`,
      [pairs.map((p) => p.partnerAccount), pairs.map((p) => p.partnerMeter)],
    );
    return rows.map((r) => ({ partnerAccount: r.partner_account, partnerMeter: r.partner_meter }));
  }

  /**
   * Locks up to `limit` parked readings that now have a mapping, oldest first. Other instances
   * skip locked rows, so two feeds never release the same reading at the same time. Of what it
   * locks, it returns a reading only when no earlier waiting reading of its pair is left out (one
   * another instance is releasing now), so a pair's readings are published in the order they
   * arrived; the ones left out wait for the next run.
   */
  async lockReleasable(tx: Transaction, limit: number): Promise<ReleasableReading[]> {
    const rows: {
      reading: PartnerReading;
      received_at: Date;
      account_number: string;
      serial: string;
    }[] = await queryable(this.db, tx).query(
      `WITH locked AS (
         SELECT p.msg_id, p.partner_account, p.partner_meter, p.reading, p.received_at,
                p.kafka_partition, p.kafka_offset, m.account_number, m.serial
           FROM partner_parked_readings p
           JOIN partner_meters m
             ON m.partner_account = p.partner_account AND m.partner_meter = p.partner_meter
          WHERE p.released_at IS NULL
          ORDER BY p.received_at, p.kafka_partition, p.kafka_offset
          LIMIT $1
            FOR UPDATE OF p SKIP LOCKED
       )
       SELECT l.reading, l.received_at, l.account_number, l.serial
         FROM locked l
        WHERE NOT EXISTS (
                SELECT 1 FROM partner_parked_readings e
                 WHERE e.partner_account = l.partner_account AND e.partner_meter = l.partner_meter
                   AND e.released_at IS NULL
                   AND (e.received_at, e.kafka_partition, e.kafka_offset)
                     < (l.received_at, l.kafka_partition, l.kafka_offset)
                   AND NOT EXISTS (SELECT 1 FROM locked k WHERE k.msg_id = e.msg_id
                                      AND k.partner_account = e.partner_account
                                      AND k.partner_meter = e.partner_meter))
        ORDER BY l.received_at, l.kafka_partition, l.kafka_offset`,
      [limit],
    );
    return rows.map((r) => ({
      reading: r.reading,
      receivedAt: r.received_at,
      accountNumber: r.account_number,
      serial: r.serial,
    }));
  }

  async markReleased(
    tx: Transaction,
    released: { reading: PartnerReading; submissionId: string }[],
  ): Promise<void> {
    if (released.length === 0) return;
    await queryable(this.db, tx).query(
      `UPDATE partner_parked_readings p SET released_at = now(), submission_id = t.submission_id
         FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::uuid[])
           AS t(msg_id, partner_account, partner_meter, submission_id)
        WHERE p.msg_id = t.msg_id AND p.partner_account = t.partner_account AND p.partner_meter = t.partner_meter`,
      [
        released.map((r) => r.reading.msgId),
        released.map((r) => r.reading.partnerAccount),
        released.map((r) => r.reading.partnerMeter),
        released.map((r) => r.submissionId),
      ],
    );
  }

  /**
   * Deletes what is older than `cutoff`: parked readings released before it, the records of
   * partner msgIds published and of readings sent to the partner before it, and our readings
   * pending a mapping since before it. Parked partner readings still waiting for a mapping stay.
   */
  async purgeBefore(
    cutoff: Date,
  ): Promise<{ parked: number; messages: number; outbound: number; pending: number }> {
    const [, parked]: Changed = await this.db.query(
      'DELETE FROM partner_parked_readings WHERE released_at < $1',
      [cutoff],
    );
    const [, messages]: Changed = await this.db.query(
      'DELETE FROM partner_messages WHERE recorded_at < $1',
      [cutoff],
    );
    const [, outbound]: Changed = await this.db.query(
      'DELETE FROM partner_outbound_readings WHERE sent_at < $1',
      [cutoff],
    );
    const [, pending]: Changed = await this.db.query(
      'DELETE FROM partner_outbound_pending WHERE pending_since < $1',
      [cutoff],
    );
    return { parked, messages, outbound, pending };
  }

  async countParked(): Promise<number> {
    const [row]: { n: number }[] = await this.db.query(
      `SELECT count(*)::int AS n FROM partner_parked_readings WHERE released_at IS NULL`,
    );
    return row.n;
  }

  /**
   * Of these submissions, the accepted electricity readings from our own channels: those whose
   * meter has a partner mapping and that were never sent are recorded as sent (inside `tx`) and
   * returned as `readings`; those whose meter has none are `unmapped`, and recorded as pending
   * until it has one (see `lockMappedPending`). A mapped one whose meter still has a pending
   * reading outside these submissions that goes before it (any, for a reading not pending; one
   * earlier in the release order, for a pending one) is `held` pending too, so that the partner
   * gets the meter's readings in the order they were accepted. Until `tx` commits, another
   * instance claiming the same id waits for it.
   */
  async claimOutbound(
    tx: Transaction,
    submissionIds: string[],
  ): Promise<{ readings: OutboundReading[]; unmapped: string[]; held: string[] }> {
    if (submissionIds.length === 0) return { readings: [], unmapped: [], held: [] };
    const rows: {
      submission_id: string;
      channel: Channel;
      read_at: Date;
      t1: string | null;
      t2: string | null;
      t3: string | null;
      fraction_digits: number;
      partner_account: string | null;
      partner_meter: string | null;
      held: boolean;
    }[] = await queryable(this.db, tx).query(
      `WITH eligible AS (
         SELECT r.submission_id, r.channel, r.read_at, r.t1::text AS t1, r.t2::text AS t2, r.t3::text AS t3,
                r.account_number, r.meter_serial, m.fraction_digits, pm.partner_account, pm.partner_meter,
                pm.partner_account IS NOT NULL AND EXISTS (
                  SELECT 1 FROM partner_outbound_pending p
                   WHERE p.serial = r.meter_serial AND p.account_number = r.account_number
                     AND p.submission_id <> ALL($1::uuid[])
                     AND (own.submission_id IS NULL
                          OR (p.pending_since, p.read_at, p.submission_id)
                             < (own.pending_since, own.read_at, own.submission_id))) AS held
           FROM readings r
           JOIN meters m ON m.serial = r.meter_serial AND m.resource = 'electricity'
           LEFT JOIN partner_meters pm ON pm.serial = r.meter_serial AND pm.account_number = r.account_number
           LEFT JOIN partner_outbound_pending own ON own.submission_id = r.submission_id
          WHERE r.submission_id = ANY($1::uuid[]) AND r.status = 'accepted' AND r.channel <> 'mosenergosbyt'
       ), claimed AS (
         INSERT INTO partner_outbound_readings (submission_id, partner_account, partner_meter)
         SELECT submission_id, partner_account, partner_meter FROM eligible
          WHERE partner_account IS NOT NULL AND NOT held
         ON CONFLICT (submission_id) DO NOTHING
         RETURNING submission_id
       ), pending AS (
         INSERT INTO partner_outbound_pending (submission_id, account_number, serial, read_at)
         SELECT submission_id, account_number, meter_serial, read_at FROM eligible
          WHERE partner_account IS NULL OR held
         ON CONFLICT (submission_id) DO NOTHING
       )
       SELECT e.* FROM eligible e
        WHERE e.partner_account IS NULL OR e.held OR e.submission_id IN (SELECT submission_id FROM claimed)`,
      [submissionIds],
    );
    const mapped = rows.filter((r) => r.partner_account !== null && !r.held);
    const unmapped = rows.filter((r) => r.partner_account === null).map((r) => r.submission_id);
    const held = rows.filter((r) => r.held).map((r) => r.submission_id);
    const readings = mapped.map((r) => ({
      submissionId: r.submission_id,
      channel: r.channel,
      partnerAccount: r.partner_account as string,
      partnerMeter: r.partner_meter as string,
      values: (['T1', 'T2', 'T3'] as Zone[])
        .map((zone, i) => ({ zone, value: [r.t1, r.t2, r.t3][i] }))
        .filter((v): v is { zone: Zone; value: string } => v.value !== null),
      fractionDigits: r.fraction_digits,
      readAt: r.read_at,
    }));
    return { readings, unmapped, held };
  }

  /**
   * Marks up to `limit` pending submissions whose meter now has a mapping for the reading's
   * account, looking only at what changed since the check that returned `since`: pending rows,
   * and cross-reference rows written or re-pointed, by transactions whose id is at least `since`
   * (every pending row when `since` is null). `next` is where the check after this one starts
   * once `done` (the statement saw every candidate): the oldest transaction this statement could
   * not see, so what any later commit writes is looked at then. Until `done`, call it again with
   * the same `since`. A long transaction holds `next` back, and later checks look at what changed
   * since it began, but no more than all of it.
   *
   * A statement costs about its slice: the two kinds of change are read one after the other and
   * stop at `limit` (1.3 to 1.8 s a slice of 50,000 with a million mapped by one import, most of
   * it the update). A reading found both ways is marked once and counted twice, so a slice cut at
   * `limit` still marks at least half of it, and one that is not cut is `done`.
   */
  async markMappedPending(
    since: string | null,
    limit: number,
  ): Promise<{ next: string; done: boolean }> {
    const [row]: { found: number; next: string }[] = await this.db.query(
      `WITH releasable AS (
         (SELECT p.submission_id FROM partner_outbound_pending p
           WHERE ($1::xid8 IS NULL OR p.pending_xid >= $1::xid8) AND NOT p.mapped
             AND EXISTS (SELECT 1 FROM partner_meters pm
                          WHERE pm.serial = p.serial AND pm.account_number = p.account_number)
          UNION ALL
          SELECT p.submission_id FROM partner_meters pm
            JOIN partner_outbound_pending p ON p.serial = pm.serial AND p.account_number = pm.account_number
           WHERE pm.changed_xid >= $1::xid8 AND NOT p.mapped)
         LIMIT $2
       ), marked AS (
         UPDATE partner_outbound_pending p SET mapped = true
           FROM releasable r
          WHERE p.submission_id = r.submission_id AND NOT p.mapped
       )
       SELECT (SELECT count(*) FROM releasable)::int AS found,
              pg_snapshot_xmin(pg_current_snapshot())::text AS next`,
      [since, limit],
    );
    return { next: row.next, done: row.found < limit };
  }

  /**
   * Unmarks the first `limit` marked pending submissions in release order whose meter no longer
   * has a mapping for the reading's account (a cross-reference row deleted or re-pointed leaves
   * no trace to look for), so that the releases, which read the marked rows in that order, do not
   * read past them; returns how many. Costs `limit` rows, not every marked row (seconds with a
   * million marked); those further on are looked at once the releases reach them.
   */
  async unmarkUnmappedPending(limit: number): Promise<number> {
    const [, count]: Changed = await this.db.query(
      `UPDATE partner_outbound_pending p SET mapped = false
        WHERE p.submission_id IN (
                SELECT q.submission_id
                  FROM (SELECT submission_id, serial, account_number FROM partner_outbound_pending
                         WHERE mapped ORDER BY pending_since, read_at, submission_id LIMIT $1) q
                 WHERE (SELECT pm.account_number FROM partner_meters pm WHERE pm.serial = q.serial)
                       IS DISTINCT FROM q.account_number)`,
      [limit],
    );
    return count;
  }

  /**
   * Locks up to `limit` marked pending submissions (see `markMappedPending`) whose meter still
   * has a mapping for the reading's account, longest pending first; other instances skip locked
   * rows. Readings pending since one transaction (one batch of outcomes) come in the order they
   * were read. The marked rows' index is in this order, and the mapping is looked up per row
   * read from it (a serial has one row), so a chunk costs what it locks however many are marked:
   * as a join, the mapping was estimated to match a handful of rows, and all marked rows were
   * joined and sorted for each chunk (seconds with a million marked).
   */
  async lockMappedPending(tx: Transaction, limit: number): Promise<string[]> {
    const rows: { submission_id: string }[] = await queryable(this.db, tx).query(
      `SELECT p.submission_id FROM partner_outbound_pending p
        WHERE p.mapped
          AND (SELECT pm.account_number FROM partner_meters pm WHERE pm.serial = p.serial) = p.account_number
        ORDER BY p.pending_since, p.read_at, p.submission_id
        LIMIT $1
          FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((r) => r.submission_id);
  }

  async dropPending(tx: Transaction, submissionIds: string[]): Promise<void> {
    if (submissionIds.length === 0) return;
    await queryable(this.db, tx).query(
      'DELETE FROM partner_outbound_pending WHERE submission_id = ANY($1::uuid[])',
      [submissionIds],
    );
  }
}
