import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CHANNELS,
  type Channel,
  OUTCOME_STATUSES,
  OUTCOME_SCHEMA,
  type OutcomeStatus,
  type ReasonCode,
  REVIEW_CODES,
  type ReviewCode,
  UUID_PATTERN,
  WARNING_CODES,
  ZONES,
} from '@gw/contracts';
import { OPERATOR_REJECTION_CODES } from '@gw/domain';
import { NestedObjects, QueryNumber } from '@gw/platform';
import { PageLimit } from '../http/page-limit.decorator';
import { TrimmedText } from '../http/trimmed-text.decorator';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { AccountMeterDto } from '../meters/account-meters.dto';
import { MeterReadingDto } from '../meters/meter-readings.dto';
import { STANDING_VALUES, ZoneValueDto } from '../http/zone-value.dto';

export class ReviewIdParamsDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The review item id is the submissionId of the reading in review',
  })
  @Matches(UUID_PATTERN, { message: 'id must be a UUID' })
  id: string;
}

/** The oldest age the queue's filters take: a year, leap day included. */
export const MAX_AGE_HOURS = 24 * 366;

export class ReviewQueueQueryDto {
  @ApiPropertyOptional({
    enum: ['open'],
    default: 'open',
    description: 'open: readings waiting for an operator (claimed or not)',
  })
  @IsOptional()
  @IsIn(['open'], { message: 'status must be open' })
  status?: 'open';

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS, { message: `channel must be one of ${CHANNELS.join(', ')}` })
  channel?: Channel;

  @ApiPropertyOptional({ enum: REVIEW_CODES, description: 'Only items with this review reason' })
  @IsOptional()
  @IsIn(REVIEW_CODES, { message: `reason must be one of ${REVIEW_CODES.join(', ')}` })
  reason?: ReviewCode;

  @ApiPropertyOptional({
    example: 24,
    description: 'Only items received at least this many hours ago',
  })
  @QueryNumber(0, MAX_AGE_HOURS, { fraction: true })
  minAgeHours?: number;

  @ApiPropertyOptional({
    example: 72,
    description: 'Only items received at most this many hours ago',
  })
  @QueryNumber(0, MAX_AGE_HOURS, { fraction: true })
  maxAgeHours?: number;

  @ApiPropertyOptional({
    example: '5001234567',
    description: 'Only items of this account number or meter serial (exact)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 32, { message: 'q must be 1 to 32 characters' })
  q?: string;

  @PageLimit(500)
  limit?: number;

  @ApiPropertyOptional({ example: 100, default: 0, description: 'Items to skip (paging)' })
  @QueryNumber(0, 1_000_000)
  offset?: number;
}

export class ReviewClaimDto {
  @ApiProperty({ example: 'ivanova' })
  by: string;

  @ApiProperty({ example: '2026-11-20T10:30:00.000+03:00' })
  until: string;
}

export class ReviewItemDto {
  @ApiProperty({ format: 'uuid', description: 'The item id: the submissionId' })
  submissionId: string;

  @ApiProperty({ enum: CHANNELS })
  channel: string;

  @ApiProperty({ enum: OUTCOME_STATUSES, description: 'needs_review while open' })
  status: OutcomeStatus;

  @ApiProperty({ type: [String], example: ['CONSUMPTION_SPIKE'] })
  reasons: string[];

  @ApiProperty({ enum: WARNING_CODES, isArray: true })
  warnings: string[];

  @ApiProperty({ example: '5001234567' })
  accountNumber: string;

  @ApiProperty({ example: '19-123456' })
  meterSerial: string;

  @ApiProperty({ type: String, nullable: true, example: '2026-11' })
  billingPeriod: string | null;

  @ApiProperty({ type: [ZoneValueDto], description: STANDING_VALUES })
  values: ZoneValueDto[];

  @ApiProperty({ type: [ZoneValueDto], description: 'Consumption since the last accepted reading' })
  consumption: ZoneValueDto[];

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.62,
    description: 'OCR confidence (slips)',
  })
  confidence: number | null;

  @ApiProperty({ example: '2026-11-20T10:15:00.000+03:00' })
  readAt: string;

  @ApiProperty({ example: '2026-11-20T10:15:02.311+03:00' })
  receivedAt: string;

  @ApiProperty({
    type: ReviewClaimDto,
    nullable: true,
    description: 'Who holds the item and until when; null when nobody does',
  })
  claim: ReviewClaimDto | null;
}

export class ReviewQueueDto {
  @ApiProperty({ enum: ['open'] })
  status: 'open';

  @ApiProperty({
    example: 17,
    description: 'Items matching the filters (items is one page of them, from offset)',
  })
  total: number;

  @ApiProperty({ type: [ReviewItemDto], description: 'Oldest received first' })
  items: ReviewItemDto[];
}

export class ReviewDecisionDto {
  @ApiProperty({ enum: ['approved', 'rejected'] })
  decision: 'approved' | 'rejected';

  @ApiProperty({ example: 'ivanova' })
  decidedBy: string;

  @ApiProperty({ example: '2026-11-20T11:00:00.000+03:00' })
  decidedAt: string;

  @ApiProperty({ example: 'Checked against the photo' })
  comment: string;

  @ApiProperty({ type: [String], example: ['LOW_CONFIDENCE'], description: 'Why it was in review' })
  reviewReasons: string[];

  @ApiProperty({ type: [ZoneValueDto], description: 'The values as originally submitted' })
  submittedValues: ZoneValueDto[];

  @ApiProperty({ type: [ZoneValueDto], nullable: true, description: "The operator's correction" })
  correctedValues: ZoneValueDto[] | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '19-654321',
    description:
      'The meter the reading was submitted for, when the operator approved it swapped onto the ' +
      "account's other water meter (the item's meterSerial is then that meter); null otherwise",
  })
  swappedFromSerial: string | null;
}

export class ReviewItemDetailDto extends ReviewItemDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026/11/20/S-000001.png',
    description: "The scanned slip's image reference from its upload (paper slips only)",
  })
  imageRef: string | null;

  @ApiProperty({
    description: 'Whether GET /v1/review/{id}/slip-image has the image (kept for its retention)',
  })
  hasImage: boolean;

  @ApiProperty({ type: ReviewDecisionDto, nullable: true, description: 'Set once decided' })
  decision: ReviewDecisionDto | null;

  @ApiProperty({
    type: AccountMeterDto,
    nullable: true,
    description: 'null when not in the registry',
  })
  meter: AccountMeterDto | null;

  @ApiProperty({
    type: [MeterReadingDto],
    description: "The meter's readings of the last 12 billing periods, oldest first",
  })
  history: MeterReadingDto[];

  @ApiProperty({
    type: AccountMeterDto,
    nullable: true,
    description:
      "For an open SUSPECTED_SWAP item, the account's other water meter the value may have been " +
      'meant for (approve-swapped moves it there); null otherwise',
  })
  swapCounterpart: AccountMeterDto | null;
}

export class ZoneValueInputDto {
  @ApiProperty({ enum: ZONES, example: 'T1' })
  @IsIn(ZONES, { message: 'zone must be T1, T2 or T3' })
  zone: string;

  @ApiProperty({ example: '01234.567', description: 'Non-negative decimal; a comma is accepted' })
  @IsString()
  @Matches(/^\d{1,18}([.,]\d{1,6})?$/, {
    message: 'value must be a non-negative decimal such as 01234.567',
  })
  value: string;
}

export class ApproveReviewDto {
  @ApiPropertyOptional({
    type: [ZoneValueInputDto],
    description:
      'Corrected values (one per zone); omitted to approve the values as submitted. Corrected ' +
      'values are validated again by the processing rules.',
  })
  @IsOptional()
  @IsArray({ message: 'values must be an array' })
  @ArrayMinSize(1, { message: 'values must have 1 to 3 entries' })
  @ArrayMaxSize(3, { message: 'values must have 1 to 3 entries' })
  @ArrayUnique((v: ZoneValueInputDto) => v?.zone, { message: 'values must name each zone once' })
  @NestedObjects(ZoneValueInputDto, '{zone, value}')
  values?: ZoneValueInputDto[];

  @ApiProperty({ example: 'Photo checked, the spike is real (leak repaired)', maxLength: 1000 })
  @TrimmedText(1, 1000)
  comment: string;
}

export class ApproveSwappedDto {
  @ApiProperty({ example: 'Cold and hot water typed the other way round', maxLength: 1000 })
  @TrimmedText(1, 1000)
  comment: string;
}

export class RejectReviewDto {
  @ApiProperty({ example: 'The slip shows another meter', maxLength: 1000 })
  @TrimmedText(1, 1000)
  comment: string;

  @ApiPropertyOptional({
    enum: OPERATOR_REJECTION_CODES,
    isArray: true,
    description:
      "Reasons for the outcome, from the contract's codes; omitted: the review reasons the operator confirmed",
  })
  @IsOptional()
  @IsArray({ message: 'reasons must be an array' })
  @ArrayMaxSize(12)
  @IsIn(OPERATOR_REJECTION_CODES, {
    each: true,
    message: `reasons must be codes of ${OPERATOR_REJECTION_CODES.join(', ')}`,
  })
  reasons?: ReasonCode[];
}

export class OutcomeDto {
  @ApiProperty({ example: OUTCOME_SCHEMA })
  schema: string;

  @ApiProperty({ format: 'uuid' })
  submissionId: string;

  @ApiProperty({ enum: OUTCOME_STATUSES })
  status: OutcomeStatus;

  @ApiProperty({ type: [String] })
  reasons: string[];

  @ApiProperty({ type: [String] })
  warnings: string[];

  @ApiProperty()
  accountNumber: string;

  @ApiProperty()
  meterSerial: string;

  @ApiProperty({ type: String, nullable: true })
  billingPeriod: string | null;

  @ApiProperty({ type: [ZoneValueDto] })
  consumption: ZoneValueDto[];

  @ApiProperty({ example: '2026-11-20T11:00:00.000+03:00' })
  decidedAt: string;
}

export class ReviewDecisionResultDto {
  @ApiProperty({ format: 'uuid' })
  submissionId: string;

  @ApiProperty({ enum: ['approved', 'rejected'] })
  decision: 'approved' | 'rejected';

  @ApiProperty({
    type: OutcomeDto,
    description: 'The outcome emitted on meter-readings.outcomes.v1 for this submissionId',
  })
  outcome: OutcomeDto;

  @ApiProperty({
    description:
      'true when Kafka acknowledged the outcome before this answer; false when it is stored and ' +
      'will be published by the outbox relay once Kafka is back',
  })
  outcomePublished: boolean;
}

export class ClaimResultDto {
  @ApiProperty({ format: 'uuid' })
  submissionId: string;

  @ApiProperty({ type: ReviewClaimDto })
  claim: ReviewClaimDto;
}

export class SwappedReadingDto {
  @ApiProperty({ format: 'uuid' })
  submissionId: string;

  @ApiProperty({ example: '19-123456', description: 'The meter the value was submitted for' })
  fromMeterSerial: string;

  @ApiProperty({ example: '19-654321', description: 'The meter it is now accepted for' })
  toMeterSerial: string;

  @ApiProperty({
    type: OutcomeDto,
    description: 'The outcome emitted for this submissionId; its meterSerial is toMeterSerial',
  })
  outcome: OutcomeDto;
}

export class SwapApprovalResultDto {
  @ApiProperty({ format: 'uuid', description: 'The item the operator acted on' })
  submissionId: string;

  @ApiProperty({ enum: ['approved'] })
  decision: 'approved';

  @ApiProperty({
    type: [SwappedReadingDto],
    description:
      "The item's reading, and the other meter's reading of the same period when it was in " +
      'review as a suspected swap too',
  })
  swapped: SwappedReadingDto[];

  @ApiProperty({
    description:
      'true when Kafka acknowledged the outcomes before this answer; false when the outbox relay ' +
      'publishes them once Kafka is back',
  })
  outcomePublished: boolean;
}
