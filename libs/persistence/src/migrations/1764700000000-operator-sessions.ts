import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OperatorSessions1764700000000 implements MigrationInterface {
  name = 'OperatorSessions1764700000000';

  async up(q: QueryRunner): Promise<void> {
    // Every operator token carries the epoch it was issued in; `ctl operator revoke` and a password
    // reset move the operator to the next one, which ends every session issued before.
    await q.query(`ALTER TABLE operators ADD COLUMN session_epoch integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE operators DROP COLUMN session_epoch`);
  }
}
