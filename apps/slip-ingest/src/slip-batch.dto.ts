import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OUTCOME_STATUSES } from '@gw/contracts';
import { QueryNumber } from '@gw/platform';
import { IsIn, IsOptional } from 'class-validator';
import {
  SLIP_BATCH_STATUSES,
  SLIP_ROW_STATUSES,
  type SlipRowStatus,
} from './persistence/slip-batch.repository';

export const MAX_PAGE_ROWS = 5000;
/** Row numbers are line numbers, stored as PostgreSQL `integer`. */
const MAX_ROW_NUMBER = 2_147_483_647;

export class SlipBatchAcceptedDto {
  @ApiProperty({ example: 'RUN-2026-11-20-01' })
  batchId: string;

  @ApiProperty({ description: 'Rows read from the file (the header not counted)', example: 3 })
  rows: number;

  @ApiProperty({
    description:
      'Rows whose reading is in Kafka (several rows of one slip and meter make one submission)',
    example: 2,
  })
  queued: number;

  @ApiProperty({ description: 'Rows reported with an error and not queued', example: 1 })
  invalid: number;
}

export class SlipRowCountsDto {
  @ApiProperty() invalid: number;
  @ApiProperty({ description: 'Queued, not decided yet' }) queued: number;
  @ApiProperty() accepted: number;
  @ApiProperty() rejected: number;
  @ApiProperty() needs_review: number;
  @ApiProperty() duplicate: number;
}

export class SlipRowDto {
  @ApiProperty({
    description:
      'Line number in the file (the header is line 1); a row over several lines counts by its first',
    example: 2,
  })
  row: number;

  @ApiProperty({ type: String, nullable: true, example: 'S-000001' })
  slipId: string | null;

  @ApiProperty({ type: String, nullable: true, example: '19-123456' })
  meterSerial: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'T1' })
  zone: string | null;

  @ApiProperty({ type: String, nullable: true, example: '2026/11/20/S-000001.png' })
  imageRef: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The submission this row went into; rows of one slip and meter share it',
  })
  submissionId: string | null;

  @ApiProperty({
    enum: SLIP_ROW_STATUSES,
    description: `invalid (not queued), queued (not decided yet), or the processor's decision: ${OUTCOME_STATUSES.join(', ')}`,
  })
  status: SlipRowStatus;

  @ApiProperty({ type: String, nullable: true, description: 'Why the row was not queued' })
  error: string | null;

  @ApiProperty({ type: [String], example: ['LOW_CONFIDENCE'] })
  reasons: string[];

  @ApiProperty({ type: [String], example: [] })
  warnings: string[];
}

export class SlipBatchReportDto extends SlipBatchAcceptedDto {
  @ApiProperty({
    enum: SLIP_BATCH_STATUSES,
    description:
      'receiving: an upload is under way; complete; interrupted: the upload broke off or Kafka was unavailable (send the file again); failed: the file was refused',
  })
  status: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the last upload did not complete',
  })
  error: string | null;

  @ApiProperty({ example: '2026-11-20T10:15:02.311+03:00' })
  receivedAt: string;

  @ApiProperty({ type: String, nullable: true })
  finishedAt: string | null;

  @ApiProperty({ type: SlipRowCountsDto, description: 'Rows of the batch per row status' })
  rowsByStatus: SlipRowCountsDto;

  @ApiProperty({ type: [SlipRowDto], description: 'A page of rows in file order' })
  items: SlipRowDto[];

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Pass as `after` to get the next page; null on the last page',
  })
  nextAfter: number | null;
}

export class SlipBatchRowsQueryDto {
  @ApiPropertyOptional({
    description: 'Rows after this row number',
    default: 0,
    maximum: MAX_ROW_NUMBER,
  })
  @QueryNumber(0, MAX_ROW_NUMBER)
  after: number = 0;

  @ApiPropertyOptional({ description: 'Rows per page', default: 1000, maximum: MAX_PAGE_ROWS })
  @QueryNumber(1, MAX_PAGE_ROWS)
  limit: number = 1000;

  @ApiPropertyOptional({ enum: SLIP_ROW_STATUSES, description: 'Only rows with this status' })
  @IsOptional()
  @IsIn(SLIP_ROW_STATUSES)
  status?: SlipRowStatus;
}
