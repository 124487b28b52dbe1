import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReviewSwappedMeter1765030000000 implements MigrationInterface {
  name = 'ReviewSwappedMeter1765030000000';

  async up(q: QueryRunner): Promise<void> {
    // An operator may approve a suspected swap of cold and hot water: the reading's row then
    // belongs to the account's other water meter, and the decision keeps the meter it was
    // submitted for.
    await q.query(`ALTER TABLE review_decisions ADD COLUMN swapped_from_serial varchar(32)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE review_decisions DROP COLUMN swapped_from_serial`);
  }
}
