import { DAY_MS } from '@gw/domain';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { FeedEnv } from '../../apps/mosenergosbyt-feed/src/mosenergosbyt-feed.env';
import { PartnerFeedRepository } from '../../apps/mosenergosbyt-feed/src/persistence/partner-feed.repository';
import { PurgePartnerHistoryUseCase } from '../../apps/mosenergosbyt-feed/src/purge-partner-history.use-case';
import { uniqueAccount } from '../support/factories';
import { testDatabase } from '../support/infra';

describe('purging the partner feed history in PostgreSQL', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await testDatabase();
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('deletes released parked readings, msgId records, sent records and pending readings past the retention, and keeps waiting ones', async () => {
    const now = new Date();
    const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const partnerAccount = uniqueAccount();
    const park = (msgId: string, parkedAt: Date, releasedAt: Date | null) =>
      db.query(
        `INSERT INTO partner_parked_readings (msg_id, partner_account, partner_meter, reading, reason,
                received_at, kafka_partition, kafka_offset, parked_at, released_at)
         VALUES ($1, $2, 'M-1', '{}', 'no mapping', $3, 0, 0, $3, $4)`,
        [msgId, partnerAccount, parkedAt, releasedAt],
      );
    await park('released-long-ago', daysAgo(120), daysAgo(100));
    await park('released-lately', daysAgo(120), daysAgo(80));
    await park('still-waiting', daysAgo(120), null);
    const sent = { old: randomUUID(), recent: randomUUID() };
    for (const [id, at] of [
      [sent.old, daysAgo(91)],
      [sent.recent, daysAgo(89)],
    ] as const)
      await db.query(
        `INSERT INTO partner_outbound_readings (submission_id, partner_account, partner_meter, sent_at)
         VALUES ($1, $2, 'M-1', $3)`,
        [id, partnerAccount, at],
      );
    const pending = { old: randomUUID(), recent: randomUUID() };
    for (const [id, at] of [
      [pending.old, daysAgo(91)],
      [pending.recent, daysAgo(89)],
    ] as const)
      await db.query(
        `INSERT INTO partner_outbound_pending (submission_id, account_number, serial, pending_since, read_at)
         VALUES ($1, $2, 'S-1', $3, $3)`,
        [id, partnerAccount, at],
      );

    const msgIds = { old: `old-${randomUUID()}`, recent: `recent-${randomUUID()}` };
    for (const [msgId, at] of [
      [msgIds.old, daysAgo(91)],
      [msgIds.recent, daysAgo(89)],
    ] as const)
      await db.query(
        `INSERT INTO partner_messages (msg_id, submission_id, account_number, serial, received_at, recorded_at)
         VALUES ($1, $2, $3, 'S-1', $4, $4)`,
        [msgId, randomUUID(), partnerAccount, at],
      );

    const purge = new PurgePartnerHistoryUseCase(new PartnerFeedRepository(db), {
      MOSENERGOSBYT_RETENTION_DAYS: 90,
    } as FeedEnv);
    expect(await purge.execute(now)).toEqual({ parked: 1, messages: 1, outbound: 1, pending: 1 });

    const parked = await db.query(
      'SELECT msg_id FROM partner_parked_readings WHERE partner_account = $1 ORDER BY msg_id',
      [partnerAccount],
    );
    expect(parked.map((r: { msg_id: string }) => r.msg_id)).toEqual([
      'released-lately',
      'still-waiting',
    ]);
    const outbound = await db.query(
      'SELECT submission_id FROM partner_outbound_readings WHERE partner_account = $1',
      [partnerAccount],
    );
    expect(outbound).toEqual([{ submission_id: sent.recent }]);
    const left = await db.query(
      'SELECT submission_id FROM partner_outbound_pending WHERE submission_id = ANY($1::uuid[])',
      [[pending.old, pending.recent]],
    );
    expect(left).toEqual([{ submission_id: pending.recent }]);
    const messages = await db.query(
      'SELECT msg_id FROM partner_messages WHERE msg_id = ANY($1::varchar[])',
      [[msgIds.old, msgIds.recent]],
    );
    expect(messages).toEqual([{ msg_id: msgIds.recent }]);
    // Nothing is left to purge.
    expect(await purge.execute(now)).toEqual({ parked: 0, messages: 0, outbound: 0, pending: 0 });
  });
});
