import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ArshinLookups1765210000000 implements MigrationInterface {
  name = 'ArshinLookups1765210000000';

  async up(q: QueryRunner): Promise<void> {
    // When Arshin last answered about a meter, and for which type number: a sync of the due meters
    // asks again only after ARSHIN_RECHECK_DAYS or once the registry's type number changed, so
    // meters expired for years are not asked about at every sync (domain.md: look up only what
    // changed or falls due, cache).
    await q.query(`
      CREATE TABLE arshin_lookups (
        serial varchar(32) PRIMARY KEY REFERENCES meters (serial) ON DELETE CASCADE,
        type_number varchar(16),
        looked_up_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE arshin_lookups`);
  }
}
