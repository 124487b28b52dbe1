import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ExactConfidence1765110000000 implements MigrationInterface {
  name = 'ExactConfidence1765110000000';

  async up(q: QueryRunner): Promise<void> {
    // A slip's recognition confidence is kept as given (up to nine decimals): rounded to three, a
    // 0.8995 read back as 0.900 and passed the 0.9 threshold when the reading was decided again.
    // Dropping a numeric's precision does not rewrite the table.
    await q.query(`ALTER TABLE readings ALTER COLUMN confidence TYPE numeric`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE readings ALTER COLUMN confidence TYPE numeric(4, 3)`);
  }
}
