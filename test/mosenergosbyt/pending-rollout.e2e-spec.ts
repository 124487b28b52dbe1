import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { seedMeters } from '../support/factories';
import { testDatabase } from '../support/infra';
import { electricityRecord } from './partner-factories';

/**
 * While a deployment rolls, the feed of the release before runs on the new schema: what it
 * writes must still work, or the readings it keeps pending for the partner would be skipped.
 */
describe('the previous release of the feed on the current schema', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await testDatabase();
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('keeps a reading pending without its time, which is taken from the reading', async () => {
    const [meter] = await seedMeters(db, [electricityRecord()]);
    const submissionId = randomUUID();
    const readAt = new Date('2026-11-20T07:00:00Z');
    await db.query(
      `INSERT INTO readings (submission_id, channel, source_id, source_ref, account_number, meter_serial,
              submitted_values, t1, read_at, received_at, status, billing_period, consumption, decided_at,
              kafka_partition, kafka_offset)
       VALUES ($1::uuid, 'kiosk', 'K-1', $1::text, $2, $3, '[{"zone":"T1","value":"00110.0"}]', 1100,
               $4, $4, 'accepted', '2026-11', '[{"zone":"T1","value":"10.0"}]', now(), 0, 0)`,
      [submissionId, meter.accountNumber, meter.serial, readAt],
    );
    // The previous release's statement: the pending row without read_at.
    await db.query(
      `INSERT INTO partner_outbound_pending (submission_id, account_number, serial) VALUES ($1, $2, $3)`,
      [submissionId, meter.accountNumber, meter.serial],
    );
    const rows = await db.query(
      'SELECT read_at FROM partner_outbound_pending WHERE submission_id = $1',
      [submissionId],
    );
    expect(rows).toEqual([{ read_at: readAt }]);
  });
});
