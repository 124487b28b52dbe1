import type { SlipImageType } from '@gw/domain';
import type { DataSource } from 'typeorm';

/** A scanned slip as it is stored: named by the image_ref its batch rows carry. */
export interface SlipImageRecord {
  centreId: string;
  imageRef: string;
  contentType: SlipImageType;
  bytes: Buffer;
}

/** The upload of a batch an image came with. */
export interface SlipImageUpload {
  batchId: string;
  upload: number;
}

/** Scanned slip images in PostgreSQL, one per (centre, image_ref), kept for the retention period. */
export class SlipImageRepository {
  constructor(private readonly db: DataSource) {}

  /** Stores the image; one sent again under the same name replaces it and starts its retention anew. */
  async save(image: SlipImageRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO slip_images AS i (centre_id, image_ref, content_type, size, bytes, received_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (centre_id, image_ref) DO UPDATE
         SET content_type = EXCLUDED.content_type, size = EXCLUDED.size, bytes = EXCLUDED.bytes,
             received_at = EXCLUDED.received_at`,
      [image.centreId, image.imageRef, image.contentType, image.bytes.length, image.bytes],
    );
  }

  /**
   * Stores the image as `save` does, but only while the upload it came with still holds its batch,
   * and counts it as that upload's sign of life. False when the upload no longer holds the batch:
   * then nothing is written.
   */
  async saveForUpload(image: SlipImageRecord, upload: SlipImageUpload): Promise<boolean> {
    const [result]: { held: boolean }[] = await this.db.query(
      `WITH lease AS (
         UPDATE slip_batches SET heartbeat_at = now()
          WHERE centre_id = $1 AND batch_id = $6 AND upload = $7 AND status = 'receiving'
         RETURNING 1
       ), saved AS (
         INSERT INTO slip_images AS i (centre_id, image_ref, content_type, size, bytes, received_at)
         SELECT $1, $2, $3, $4::int, $5::bytea, now() WHERE EXISTS (SELECT 1 FROM lease)
         ON CONFLICT (centre_id, image_ref) DO UPDATE
           SET content_type = EXCLUDED.content_type, size = EXCLUDED.size, bytes = EXCLUDED.bytes,
               received_at = EXCLUDED.received_at
         RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM lease) AS held`,
      [
        image.centreId,
        image.imageRef,
        image.contentType,
        image.bytes.length,
        image.bytes,
        upload.batchId,
        upload.upload,
      ],
    );
    return result.held;
  }

  /**
   * Deletes up to `limit` images received before `cutoff` and returns how many it deleted, so a
   * large backlog goes in short statements that hold few locks and little WAL at a time.
   */
  async deleteReceivedBefore(cutoff: Date, limit: number): Promise<number> {
    const [row]: { deleted: number }[] = await this.db.query(
      `WITH old AS (
         SELECT centre_id, image_ref FROM slip_images WHERE received_at < $1
          ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), gone AS (
         DELETE FROM slip_images i USING old
          WHERE i.centre_id = old.centre_id AND i.image_ref = old.image_ref
         RETURNING 1
       )
       SELECT count(*)::int AS deleted FROM gone`,
      [cutoff, limit],
    );
    return row.deleted;
  }

  /**
   * The image_ref values of an upload's queued rows that have no image kept, in order after
   * `after`: what is left to fetch from the store.
   */
  async findMissing(
    centreId: string,
    batchId: string,
    upload: number,
    after: string,
    limit: number,
  ): Promise<string[]> {
    const rows: { image_ref: string }[] = await this.db.query(
      `SELECT DISTINCT s.image_ref FROM slip_batch_rows s
        WHERE s.centre_id = $1 AND s.batch_id = $2 AND s.upload = $3 AND s.submission_id IS NOT NULL
          AND s.image_ref > $4
          AND NOT EXISTS (SELECT 1 FROM slip_images i WHERE i.centre_id = s.centre_id AND i.image_ref = s.image_ref)
        ORDER BY s.image_ref
        LIMIT $5`,
      [centreId, batchId, upload, after, limit],
    );
    return rows.map((r) => r.image_ref);
  }
}
