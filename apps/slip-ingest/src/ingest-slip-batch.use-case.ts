import { Inject, Injectable, Logger } from '@nestjs/common';
import { buildSubmission, type SubmissionMessage } from '@gw/contracts';
import {
  type ParsedSlipRecord,
  parseSlipRecord,
  type SlipGroup,
  SlipGrouper,
  type SlipReading,
  toMoscowIso,
} from '@gw/domain';
import { SubmissionPublisher } from '@gw/messaging';
import { isDatabaseUnavailable, type Transaction } from '@gw/persistence';
import { counter, gauge, logRetriedFailure } from '@gw/platform';
import {
  type SlipBatchCounts,
  SlipBatchRepository,
  type SlipRowRecord,
} from './persistence/slip-batch.repository';
import { SaveSlipImageUseCase } from './save-slip-image.use-case';
import { SlipBatchError, type SlipBatchErrorCode, uploadSuperseded } from './slip-batch.errors';
import { readSlipCsv, type SlipCsvItem } from './slip-csv.reader';
import { SlipImageFetcher } from './slip-image-fetcher';
import { SLIP_INGEST_OPTIONS, type SlipIngestOptions } from './slip-ingest.env';
import type { SlipUploadReader } from './slip-upload.stream';

const rowsParsed = counter('slip_rows_parsed_total', 'Rows of slip batch files read and recorded');
const rowsQueued = counter(
  'slip_rows_queued_total',
  'Rows of slip batch files whose reading is in Kafka (now or from an earlier upload)',
);
const rowsInvalid = counter('slip_rows_invalid_total', 'Rows of slip batch files not queued');
const published = counter(
  'slip_submissions_published_total',
  'Submissions published from slip batch files (slips queued before are not published again)',
);
const uploadsEnded = counter('slip_batch_uploads_total', 'Slip batch uploads by how they ended', [
  'result',
]);
const uploadsActive = gauge('slip_batch_uploads_active', 'Slip batch uploads under way');

export interface IngestSlipBatchCommand {
  centreId: string;
  batchId: string;
}

export interface SlipBatchReceipt extends SlipBatchCounts {
  batchId: string;
}

/** One upload under way: what is read but not yet handed over, and what is done. */
class Upload {
  readonly done: SlipBatchCounts = { rows: 0, queued: 0, invalid: 0 };
  readonly started = Date.now();
  read = 0;
  pending: SlipGroup[] = [];
  pendingRows = 0;
  nextProgressAt: number;

  constructor(
    readonly centreId: string,
    readonly batchId: string,
    readonly number: number,
    /** Slips carry no reading date: the time the gateway received the file stands for it. */
    readonly receivedAt: string,
    readonly progressEveryRows: number,
  ) {
    this.nextProgressAt = progressEveryRows;
  }

  get rowsPerSecond(): number {
    return Math.round(this.done.rows / Math.max((Date.now() - this.started) / 1000, 0.001));
  }
}

/** Errors that refuse what was sent, rather than cut its upload short: the batch is failed. */
const REFUSALS = new Set<SlipBatchErrorCode>([
  'BATCH_TOO_LARGE',
  'SLIP_FILE_INVALID',
  'SLIP_IMAGE_REF_INVALID',
  'SLIP_IMAGE_TOO_LARGE',
  'SLIP_IMAGE_TYPE_UNSUPPORTED',
]);

function parsedItem(item: SlipCsvItem): ParsedSlipRecord {
  return item.record
    ? parseSlipRecord(item.record)
    : {
        slipId: null,
        meterSerial: null,
        zone: null,
        imageRef: null,
        line: { ok: false, error: item.error },
      };
}

/**
 * Takes a scanning centre's batch file (contract section 7.4) as a stream: rows are parsed,
 * grouped into one submission per slip and meter, and handed over a chunk at a time: published
 * to Kafka (acknowledged by all replicas) and then recorded with their row numbers. Memory holds
 * one chunk, whatever the file's size. Answers only when every queued row is in Kafka.
 *
 * The upload takes its batch before it reads any of the body: one refused because another upload
 * holds the batch stores nothing, and images, like rows, are stored only while the upload holds it.
 *
 * Repeats queue nothing twice: a slip and meter this centre has sent before (in this batch's
 * earlier upload or in another batch) has the same submission id and is recorded, not published.
 */
@Injectable()
export class IngestSlipBatchUseCase {
  private readonly logger = new Logger(IngestSlipBatchUseCase.name);
  /** Uploads this instance is taking, from before their batch is taken until they are answered. */
  private uploads = 0;

  constructor(
    private readonly batches: SlipBatchRepository,
    private readonly publisher: SubmissionPublisher,
    private readonly imageFetcher: SlipImageFetcher,
    private readonly images: SaveSlipImageUseCase,
    @Inject(SLIP_INGEST_OPTIONS) private readonly options: SlipIngestOptions,
  ) {}

  /**
   * Takes the upload if fewer than SLIP_MAX_UPLOADS are under way here: memory grows with the
   * uploads at once, whose bodies may take minutes to arrive. A refused one takes nothing.
   */
  async execute(
    command: IngestSlipBatchCommand,
    read: SlipUploadReader,
  ): Promise<SlipBatchReceipt> {
    if (this.uploads >= this.options.maxUploads)
      throw new SlipBatchError(
        'UPLOADS_BUSY',
        `this instance is taking ${this.options.maxUploads} uploads already; send the batch again in a moment`,
      );
    this.uploads += 1;
    try {
      return await this.take(command, read);
    } finally {
      this.uploads -= 1;
    }
  }

  private async take(
    command: IngestSlipBatchCommand,
    read: SlipUploadReader,
  ): Promise<SlipBatchReceipt> {
    const { centreId, batchId } = command;
    const receivedAt = new Date();
    const number = await this.batches.begin(
      centreId,
      batchId,
      receivedAt,
      this.options.leaseSeconds,
    );
    if (number === null)
      throw new SlipBatchError(
        'BATCH_BUSY',
        `batch ${batchId} is being uploaded right now; send it again once that upload has ended`,
      );
    const upload = new Upload(
      centreId,
      batchId,
      number,
      toMoscowIso(receivedAt),
      this.options.progressEveryRows,
    );
    uploadsActive.inc();
    try {
      const received = await read({
        maxImageBytes: this.options.maxImageBytes,
        onImage: (image) => this.images.execute(centreId, image, { batchId, upload: number }),
      });
      const grouper = new SlipGrouper();
      for await (const item of readSlipCsv(received.file)) {
        if (upload.read === this.options.maxRows)
          throw new SlipBatchError(
            'BATCH_TOO_LARGE',
            `a batch file holds at most ${this.options.maxRows} rows; split the file into several batches`,
          );
        upload.read += 1;
        await this.add(upload, grouper.push({ row: item.row, parsed: parsedItem(item) }));
      }
      await this.add(upload, grouper.end());
      await this.flush(upload);
      // Images sent after the file arrive only now; one refused fails the batch (rows stay queued).
      await received.images;
      if (!(await this.batches.finish(centreId, batchId, number, 'complete', upload.done)))
        throw uploadSuperseded(batchId);
      uploadsEnded.inc({ result: 'complete' });
      this.imageFetcher.start(centreId, batchId, number);
      this.logger.log({
        msg: 'slip batch received',
        centreId,
        batchId,
        upload: number,
        ...upload.done,
        seconds: (Date.now() - upload.started) / 1000,
        rowsPerSecond: upload.rowsPerSecond,
      });
      return { batchId, ...upload.done };
    } catch (error) {
      throw await this.abandon(upload, error);
    } finally {
      uploadsActive.dec();
    }
  }

  private async add(upload: Upload, group: SlipGroup | null): Promise<void> {
    if (!group) return;
    upload.pending.push(group);
    upload.pendingRows += group.rows.length;
    if (upload.pendingRows >= this.options.chunkRows) await this.flush(upload);
  }

  /**
   * Hands over the pending rows: publish what is new, then record every row. Both run under the
   * centre's lock, so two uploads sharing a slip at once publish it once.
   */
  private async flush(upload: Upload): Promise<void> {
    const groups = upload.pending;
    if (groups.length === 0) return;
    upload.pending = [];
    upload.pendingRows = 0;
    const drafts = groups.map((group) => ({
      group,
      submission: group.reading ? this.toSubmission(upload, group.reading) : null,
    }));
    const { counts, total, fresh } = await this.batches.underCentreLock(upload.centreId, (tx) =>
      this.handOver(upload, drafts, tx),
    );
    Object.assign(upload.done, total);
    rowsParsed.inc(counts.rows);
    rowsQueued.inc(counts.queued);
    rowsInvalid.inc(counts.invalid);
    published.inc(fresh);
    if (upload.done.rows >= upload.nextProgressAt) {
      upload.nextProgressAt += this.options.progressEveryRows;
      this.logger.log({
        msg: 'slip batch progress',
        centreId: upload.centreId,
        batchId: upload.batchId,
        ...upload.done,
        rowsPerSecond: upload.rowsPerSecond,
      });
    }
  }

  private async handOver(
    upload: Upload,
    drafts: { group: SlipGroup; submission: SubmissionMessage | null }[],
    tx: Transaction,
  ): Promise<{ counts: SlipBatchCounts; total: SlipBatchCounts; fresh: number }> {
    const known = await this.batches.findQueued(
      upload.centreId,
      drafts.flatMap((d) => (d.submission ? [d.submission.submissionId] : [])),
      tx,
    );
    // Rows of this very upload that already went into a submission: a repeat of them is an error.
    const inThisFile = new Map<string, number>();
    const queuedBefore = new Set<string>();
    for (const k of known) {
      if (k.batchId === upload.batchId && k.upload === upload.number)
        inThisFile.set(k.submissionId, Math.min(k.row, inThisFile.get(k.submissionId) ?? k.row));
      else queuedBefore.add(k.submissionId);
    }

    const fresh: SubmissionMessage[] = [];
    const records: SlipRowRecord[] = [];
    const counts: SlipBatchCounts = { rows: 0, queued: 0, invalid: 0 };
    for (const { group, submission } of drafts) {
      let submissionId: string | null = null;
      let repeated: string | null = null;
      if (submission && group.reading) {
        const first = inThisFile.get(submission.submissionId);
        if (first !== undefined) {
          repeated = `slip ${group.reading.slipId}, meter ${group.reading.meterSerial} is already in row ${first}: rows of one slip and meter must be adjacent`;
        } else {
          submissionId = submission.submissionId;
          inThisFile.set(submissionId, group.rows[0].row);
          if (!queuedBefore.has(submissionId)) fresh.push(submission);
        }
      }
      for (const row of group.rows)
        records.push({
          ...row,
          submissionId,
          error: submissionId ? null : (row.error ?? repeated),
        });
      counts.rows += group.rows.length;
      counts[submissionId ? 'queued' : 'invalid'] += group.rows.length;
    }

    await this.publisher.publish(fresh, this.options.topic);
    const total: SlipBatchCounts = {
      rows: upload.done.rows + counts.rows,
      queued: upload.done.queued + counts.queued,
      invalid: upload.done.invalid + counts.invalid,
    };
    const held = await this.batches.saveRows(
      upload.centreId,
      upload.batchId,
      upload.number,
      records,
      total,
      tx,
    );
    if (!held) throw uploadSuperseded(upload.batchId);
    return { counts, total, fresh: fresh.length };
  }

  private toSubmission(upload: Upload, reading: SlipReading): SubmissionMessage {
    return buildSubmission({
      channel: 'paper-slip',
      sourceId: upload.centreId,
      sourceRef: `${reading.slipId}/${reading.meterSerial}`,
      accountNumber: reading.accountNumber,
      meterSerial: reading.meterSerial,
      values: reading.values,
      readAt: upload.receivedAt,
      receivedAt: upload.receivedAt,
      confidence: reading.confidence,
    });
  }

  /**
   * Records how the upload ended and returns the error to answer with. Rows handed over before
   * stay queued and recorded; sending the file again queues none of them twice.
   */
  private async abandon(upload: Upload, error: unknown): Promise<unknown> {
    const refused = error instanceof SlipBatchError && REFUSALS.has(error.code);
    const result = refused ? 'failed' : 'interrupted';
    const message = error instanceof Error ? error.message : String(error);
    uploadsEnded.inc({ result });
    this.logger.warn({
      msg: `slip batch upload ${result}`,
      centreId: upload.centreId,
      batchId: upload.batchId,
      upload: upload.number,
      ...upload.done,
      error: message,
    });
    await this.batches
      .finish(upload.centreId, upload.batchId, upload.number, result, upload.done, message)
      // The batch stays `receiving` until its lease lapses: during an outage, nothing to act on.
      .catch((cause: Error) =>
        logRetriedFailure(
          this.logger,
          {
            msg: 'could not record the end of a slip batch upload',
            batchId: upload.batchId,
            error: cause.message,
          },
          cause,
          isDatabaseUnavailable,
        ),
      );
    return error instanceof SlipBatchError
      ? new SlipBatchError(error.code, error.message, { ...upload.done })
      : error;
  }
}
