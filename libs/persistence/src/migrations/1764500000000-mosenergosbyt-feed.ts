import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MosenergosbytFeed1764500000000 implements MigrationInterface {
  name = 'MosenergosbytFeed1764500000000';

  async up(q: QueryRunner): Promise<void> {
    // The cross-reference: one partner (account, meter) pair per meter of ours, both ways, so the
    // outbound feed has exactly one pair to write for a serial.
    await q.query(`
      CREATE TABLE partner_meters (
        partner_account varchar(32) NOT NULL,
        partner_meter varchar(32) NOT NULL,
        account_number varchar(10) NOT NULL CHECK (account_number ~ '^[0-9]{10}$'),
        serial varchar(32) NOT NULL UNIQUE,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (partner_account, partner_meter)
      )`);
    // Partner readings that could not be mapped yet. They wait here, not on the partition; a row
    // is released (not deleted) once its mapping exists, so an operator can see what happened.
    await q.query(`
      CREATE TABLE partner_parked_readings (
        msg_id varchar(256) NOT NULL,
        partner_account varchar(32) NOT NULL,
        partner_meter varchar(32) NOT NULL,
        reading jsonb NOT NULL,
        reason text NOT NULL,
        received_at timestamptz NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now(),
        released_at timestamptz,
        submission_id uuid,
        PRIMARY KEY (msg_id, partner_account, partner_meter)
      )`);
    await q.query(
      `CREATE INDEX partner_parked_waiting_idx ON partner_parked_readings (partner_account, partner_meter)
        WHERE released_at IS NULL`,
    );
    // One row per reading sent to the partner: the record that makes "once each" survive
    // redelivered outcomes and restarts.
    await q.query(`
      CREATE TABLE partner_outbound_readings (
        submission_id uuid PRIMARY KEY,
        partner_account varchar(32) NOT NULL,
        partner_meter varchar(32) NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['partner_outbound_readings', 'partner_parked_readings', 'partner_meters'])
      await q.query(`DROP TABLE ${table}`);
  }
}
