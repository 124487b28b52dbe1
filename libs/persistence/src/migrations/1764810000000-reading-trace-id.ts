import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReadingTraceId1764810000000 implements MigrationInterface {
  name = 'ReadingTraceId1764810000000';

  async up(q: QueryRunner): Promise<void> {
    // The W3C trace id the submission arrived with; null for readings stored before, and for
    // submissions published without a `traceparent`. Nullable, so adding it rewrites nothing.
    await q.query(`ALTER TABLE readings ADD COLUMN trace_id char(32)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE readings DROP COLUMN trace_id`);
  }
}
