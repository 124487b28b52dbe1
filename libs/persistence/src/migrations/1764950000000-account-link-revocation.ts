import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountLinkRevocation1764950000000 implements MigrationInterface {
  name = 'AccountLinkRevocation1764950000000';

  async up(q: QueryRunner): Promise<void> {
    // A link gets an id of its own, so an account's other residents can name it (in the e-mail
    // that tells them about it, and in the request that revokes it) without learning who it is.
    await q.query(
      `ALTER TABLE resident_accounts ADD COLUMN link_id uuid NOT NULL DEFAULT gen_random_uuid()`,
    );
    await q.query(
      `CREATE UNIQUE INDEX resident_accounts_link_id_idx ON resident_accounts (link_id)`,
    );
    // A link the account's earlier residents revoked: that resident cannot link the account again,
    // by linking or by registering, so revoking means something against someone who holds the
    // payment document. Kept until the resident is deleted.
    await q.query(`
      CREATE TABLE resident_account_revocations (
        resident_id uuid NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
        account_number varchar(10) NOT NULL,
        revoked_by uuid REFERENCES residents (id) ON DELETE SET NULL,
        revoked_at timestamptz NOT NULL,
        PRIMARY KEY (resident_id, account_number)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE resident_account_revocations`);
    await q.query(`ALTER TABLE resident_accounts DROP COLUMN link_id`);
  }
}
