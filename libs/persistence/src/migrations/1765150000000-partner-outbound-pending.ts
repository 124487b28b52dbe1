import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PartnerOutboundPending1765150000000 implements MigrationInterface {
  name = 'PartnerOutboundPending1765150000000';

  async up(q: QueryRunner): Promise<void> {
    // Accepted electricity readings of our channels whose meter had no cross-reference row: each
    // is sent to the partner once the row arrives (contract 7.5, "once each"), and forgotten after
    // the retention when it never does.
    await q.query(`
      CREATE TABLE partner_outbound_pending (
        submission_id uuid PRIMARY KEY,
        account_number varchar(10) NOT NULL,
        serial varchar(32) NOT NULL,
        pending_since timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX partner_outbound_pending_meter_idx ON partner_outbound_pending (serial, account_number)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE partner_outbound_pending`);
  }
}
