import type { DataSource } from 'typeorm';

/** A scanned slip as slip-ingest stored it, to be served to an operator. */
export interface SlipImage {
  imageRef: string;
  contentType: string;
  bytes: Buffer;
  receivedAt: Date;
}

interface ImageRow {
  image_ref: string;
  content_type: string;
  bytes: Buffer;
  received_at: Date;
}

/** Reads the slip images slip-ingest keeps; the back office never writes them. */
export class SlipImageRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * The image of a reading's slip: its batch rows (several zones, or a batch sent again) name it
   * by image_ref, and the first row whose image is still kept gives it. Null when there is none.
   */
  async findBySubmission(submissionId: string): Promise<SlipImage | null> {
    const [row]: ImageRow[] = await this.db.query(
      `SELECT i.image_ref, i.content_type, i.bytes, i.received_at
         FROM slip_batch_rows s
         JOIN slip_images i ON i.centre_id = s.centre_id AND i.image_ref = s.image_ref
        WHERE s.submission_id = $1
        ORDER BY s.batch_id, s.row_no
        LIMIT 1`,
      [submissionId],
    );
    return row
      ? {
          imageRef: row.image_ref,
          contentType: row.content_type,
          bytes: row.bytes,
          receivedAt: row.received_at,
        }
      : null;
  }
}
