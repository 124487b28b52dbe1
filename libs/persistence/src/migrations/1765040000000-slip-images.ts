import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SlipImages1765040000000 implements MigrationInterface {
  name = 'SlipImages1765040000000';

  async up(q: QueryRunner): Promise<void> {
    // Keyed like the rows that name them: a batch row's (centre_id, image_ref) finds its image, so
    // an image may arrive before, with or after the rows, and a re-upload replaces it. No foreign
    // key to the rows: rows of a batch sent again are replaced while their images stay.
    await q.query(`
      CREATE TABLE slip_images (
        centre_id varchar(64) NOT NULL REFERENCES scanning_centres (centre_id),
        image_ref varchar(512) NOT NULL,
        content_type varchar(16) NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
        size integer NOT NULL CHECK (size > 0),
        bytes bytea NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (centre_id, image_ref)
      )`);
    // JPEG, PNG and WebP are compressed already: stored out of line without another attempt at it.
    await q.query(`ALTER TABLE slip_images ALTER COLUMN bytes SET STORAGE EXTERNAL`);
    await q.query(`CREATE INDEX slip_images_received_at_idx ON slip_images (received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE slip_images`);
  }
}
