import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TerminalWithoutAllowList1764960000000 implements MigrationInterface {
  name = 'TerminalWithoutAllowList1764960000000';

  async up(q: QueryRunner): Promise<void> {
    // A terminal may now have neither a list nor `allow_any_ip`: the gateway refuses it outside
    // development mode. A list together with "any address" stays refused.
    await q.query(`ALTER TABLE terminals DROP CONSTRAINT terminals_allow_list_or_any`);
    await q.query(`
      ALTER TABLE terminals ADD CONSTRAINT terminals_allow_list_or_any
        CHECK (NOT (allow_any_ip AND cardinality(allowed_ips) > 0))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE terminals DROP CONSTRAINT terminals_allow_list_or_any`);
    await q.query(`UPDATE terminals SET allow_any_ip = true WHERE cardinality(allowed_ips) = 0`);
    await q.query(`
      ALTER TABLE terminals ADD CONSTRAINT terminals_allow_list_or_any
        CHECK (allow_any_ip <> (cardinality(allowed_ips) > 0))`);
  }
}
