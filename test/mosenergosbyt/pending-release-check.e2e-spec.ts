import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PartnerFeedRepository } from '../../apps/mosenergosbyt-feed/src/persistence/partner-feed.repository';
import { uniqueAccount, uniqueSerial } from '../support/factories';
import { testDatabase } from '../support/infra';
import { partnerIds } from './partner-factories';

/**
 * The release check of our readings pending for the partner marks what became releasable by
 * looking only at what changed since its last run (see `markMappedPending`); these pin that
 * nothing that changed is missed, however the transactions interleave.
 */
describe('marking pending partner readings releasable in PostgreSQL', () => {
  let db: DataSource;
  let feed: PartnerFeedRepository;
  /**
   * One release check, as `releasePending` runs it: unmarks what lost its row, marks all there is
   * to mark, returns where the next one starts.
   */
  const check = async (since: string | null): Promise<string> => {
    await feed.unmarkUnmappedPending(1000);
    const { next, done } = await feed.markMappedPending(since, 1000);
    expect(done).toBe(true);
    return next;
  };

  beforeAll(async () => {
    db = await testDatabase();
    feed = new PartnerFeedRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  const pend = async (meter: { accountNumber: string; serial: string }) => {
    const submissionId = randomUUID();
    await db.query(
      `INSERT INTO partner_outbound_pending (submission_id, account_number, serial, read_at)
       VALUES ($1, $2, $3, now())`,
      [submissionId, meter.accountNumber, meter.serial],
    );
    return submissionId;
  };
  const mapSql = `INSERT INTO partner_meters (partner_account, partner_meter, account_number, serial)
                  VALUES ($1, $2, $3, $4)`;
  const mapArgs = (meter: { accountNumber: string; serial: string }) => {
    const ids = partnerIds();
    return [ids.partnerAccount, ids.partnerMeter, meter.accountNumber, meter.serial];
  };
  const marked = async (submissionId: string): Promise<boolean> => {
    const [row]: { mapped: boolean }[] = await db.query(
      'SELECT mapped FROM partner_outbound_pending WHERE submission_id = $1',
      [submissionId],
    );
    return row.mapped;
  };

  it('marks a reading that was pending before the first check, and one pending since, once its row arrives', async () => {
    const meter = { accountNumber: uniqueAccount(), serial: uniqueSerial('E') };
    const before = await pend(meter);
    await db.query(mapSql, mapArgs(meter));
    let since = await check(null);
    expect(await marked(before)).toBe(true);

    const later = { accountNumber: uniqueAccount(), serial: uniqueSerial('E') };
    const after = await pend(later);
    since = await check(since);
    expect(await marked(after)).toBe(false);
    await db.query(mapSql, mapArgs(later));
    await check(since);
    expect(await marked(after)).toBe(true);
  });

  it('marks a reading whose row a transaction open during a check commits only after it', async () => {
    const meter = { accountNumber: uniqueAccount(), serial: uniqueSerial('E') };
    let since = await check(null);
    const importing = db.createQueryRunner();
    await importing.startTransaction();
    try {
      await importing.query(mapSql, mapArgs(meter));
      // Pending and committed after the row was written, so the row's statement did not see it.
      const reading = await pend(meter);
      since = await check(since);
      expect(await marked(reading)).toBe(false);
      await importing.commitTransaction();
      await check(since);
      expect(await marked(reading)).toBe(true);
    } finally {
      if (importing.isTransactionActive) await importing.rollbackTransaction();
      await importing.release();
    }
  });

  it("marks a reading when a pair is re-pointed to its meter's account, and unmarks it when the pair goes elsewhere", async () => {
    const meter = { accountNumber: uniqueAccount(), serial: uniqueSerial('E') };
    const [partnerAccount, partnerMeter] = mapArgs(meter);
    await db.query(mapSql, [partnerAccount, partnerMeter, uniqueAccount(), meter.serial]);
    const reading = await pend(meter);
    let since = await check(null);
    expect(await marked(reading)).toBe(false);

    const repoint = (accountNumber: string) =>
      db.query(
        `UPDATE partner_meters SET account_number = $3
          WHERE partner_account = $1 AND partner_meter = $2`,
        [partnerAccount, partnerMeter, accountNumber],
      );
    await repoint(meter.accountNumber);
    since = await check(since);
    expect(await marked(reading)).toBe(true);
    await repoint(uniqueAccount());
    since = await check(since);
    expect(await marked(reading)).toBe(false);
    await repoint(meter.accountNumber);
    await check(since);
    expect(await marked(reading)).toBe(true);
  });

  it('marks what one import maps in slices, done only once every reading is marked', async () => {
    const meter = { accountNumber: uniqueAccount(), serial: uniqueSerial('E') };
    const readings = [await pend(meter), await pend(meter), await pend(meter)];
    const since = await check(null);
    await db.query(mapSql, mapArgs(meter));
    const first = await feed.markMappedPending(since, 2);
    expect(first.done).toBe(false);
    const second = await feed.markMappedPending(since, 2);
    expect(second.done).toBe(true);
    for (const reading of readings) expect(await marked(reading)).toBe(true);
  });

  it('ends the slices when a reading found both as pending and as newly mapped is marked', async () => {
    const since = await check(null);
    const meter = { accountNumber: uniqueAccount(), serial: uniqueSerial('E') };
    const reading = await pend(meter);
    await db.query(mapSql, mapArgs(meter));
    // Found through both changes, it may fill a slice of two, but the next one ends the check.
    let slice = await feed.markMappedPending(since, 2);
    if (!slice.done) slice = await feed.markMappedPending(since, 2);
    expect(slice.done).toBe(true);
    expect(await marked(reading)).toBe(true);
  });

  it('unmarks the readings of a meter whose row is deleted at the next check', async () => {
    const meter = { accountNumber: uniqueAccount(), serial: uniqueSerial('E') };
    const [partnerAccount, partnerMeter] = mapArgs(meter);
    await db.query(mapSql, [partnerAccount, partnerMeter, meter.accountNumber, meter.serial]);
    const readings = [await pend(meter), await pend(meter)];
    const since = await check(null);
    for (const reading of readings) expect(await marked(reading)).toBe(true);
    await db.query('DELETE FROM partner_meters WHERE partner_account = $1 AND partner_meter = $2', [
      partnerAccount,
      partnerMeter,
    ]);
    await check(since);
    for (const reading of readings) expect(await marked(reading)).toBe(false);
  });
});
