import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CredentialDisable1764910000000 implements MigrationInterface {
  name = 'CredentialDisable1764910000000';

  async up(q: QueryRunner): Promise<void> {
    // A disabled credential is kept (its id stays taken, its history attributed) but refused by
    // every edge until `ctl … enable`; NULL means enabled.
    for (const table of ['kiosks', 'terminals', 'scanning_centres', 'operators'])
      await q.query(`ALTER TABLE ${table} ADD COLUMN disabled_at timestamptz`);
    // An empty allow-list used to mean "any address". That must now be said explicitly; terminals
    // that already relied on it are marked so they keep working after the upgrade, and can be found
    // with `WHERE allow_any_ip` to be given a list.
    await q.query(`ALTER TABLE terminals ADD COLUMN allow_any_ip boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE terminals SET allow_any_ip = true WHERE cardinality(allowed_ips) = 0`);
    await q.query(`
      ALTER TABLE terminals ADD CONSTRAINT terminals_allow_list_or_any
        CHECK (allow_any_ip <> (cardinality(allowed_ips) > 0))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE terminals DROP CONSTRAINT terminals_allow_list_or_any`);
    await q.query(`ALTER TABLE terminals DROP COLUMN allow_any_ip`);
    for (const table of ['operators', 'scanning_centres', 'terminals', 'kiosks'])
      await q.query(`ALTER TABLE ${table} DROP COLUMN disabled_at`);
  }
}
