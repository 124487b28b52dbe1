import { ApiProperty } from '@nestjs/swagger';
import { isValidDate, VERIFICATION_INTERVAL_MONTHS } from '@gw/domain';
import { IsInt, Max, Min, ValidateBy } from 'class-validator';
import { TrimmedText } from '../http/trimmed-text.decorator';
import { OutcomeDto } from '../review/review.dto';

const IsIsoDate = () =>
  ValidateBy({
    name: 'isIsoDate',
    validator: {
      validate: (value) => typeof value === 'string' && isValidDate(value),
      defaultMessage: () => 'verifiedOn must be a date YYYY-MM-DD',
    },
  });

const INTERVAL_MESSAGE = `intervalMonths must be ${VERIFICATION_INTERVAL_MONTHS.min} to ${VERIFICATION_INTERVAL_MONTHS.max}`;

export class RecordVerificationDto {
  @ApiProperty({
    example: '2026-11-15',
    description: 'Day of the verification (поверка), YYYY-MM-DD',
  })
  @IsIsoDate()
  verifiedOn: string;

  @ApiProperty({
    example: 72,
    minimum: VERIFICATION_INTERVAL_MONTHS.min,
    maximum: VERIFICATION_INTERVAL_MONTHS.max,
    description: 'Months until the next one',
  })
  @IsInt({ message: 'intervalMonths must be an integer' })
  @Min(VERIFICATION_INTERVAL_MONTHS.min, { message: INTERVAL_MESSAGE })
  @Max(VERIFICATION_INTERVAL_MONTHS.max, { message: INTERVAL_MESSAGE })
  intervalMonths: number;

  @ApiProperty({ example: 'С-ВЯ/15-11-2026/402115790', minLength: 1, maxLength: 64 })
  @TrimmedText(1, 64)
  certificateNo: string;
}

export class VerificationDto {
  @ApiProperty({ example: '19-123456' })
  serial: string;

  @ApiProperty({ example: '2026-11-15' })
  verifiedOn: string;

  @ApiProperty({ example: 72 })
  intervalMonths: number;

  @ApiProperty({ example: '2032-11-15', description: 'verifiedOn + intervalMonths' })
  dueOn: string;

  @ApiProperty({ type: String, nullable: true, example: 'С-ВЯ/15-11-2026/402115790' })
  certificateNo: string | null;

  @ApiProperty({ example: 'petrova' })
  recordedBy: string;

  @ApiProperty({ example: '2026-11-20T10:15:02.311+03:00' })
  recordedAt: string;

  @ApiProperty({
    example: 2,
    description:
      'Readings the verification records now judge otherwise (rejected only for ' +
      'VERIFICATION_EXPIRED or only for VERIFICATION_FAILED that a fit record covers, or ' +
      'accepted or in review under an unfit record), that POST /v1/meters/{serial}/revalidate ' +
      'would decide again',
  })
  revalidatable: number;
}

export class ReadingDecisionBeforeDto {
  @ApiProperty({ example: 'rejected' })
  status: string;

  @ApiProperty({ type: [String], example: ['VERIFICATION_EXPIRED'] })
  reasons: string[];
}

export class RevalidatedReadingDto {
  @ApiProperty({ format: 'uuid' })
  submissionId: string;

  @ApiProperty({ type: ReadingDecisionBeforeDto })
  before: ReadingDecisionBeforeDto;

  @ApiProperty({
    type: OutcomeDto,
    description: 'The new outcome, emitted with the same submissionId',
  })
  outcome: OutcomeDto;
}

export class RevalidationDto {
  @ApiProperty({ example: '19-123456' })
  serial: string;

  @ApiProperty({ type: [RevalidatedReadingDto], description: 'Readings whose decision changed' })
  revalidated: RevalidatedReadingDto[];

  @ApiProperty({
    example: 0,
    description:
      'Readings decided again whose decision stays as it was (e.g. still VERIFICATION_EXPIRED, read after the new due date)',
  })
  unchanged: number;

  @ApiProperty({ description: 'false when Kafka did not acknowledge; the outbox relay retries' })
  outcomesPublished: boolean;
}

export class VerificationHistoryEntryDto {
  @ApiProperty({ example: '2026-03-15' })
  verifiedOn: string;

  @ApiProperty({ type: String, nullable: true, example: '2032-03-14', description: 'null: unfit' })
  dueOn: string | null;

  @ApiProperty({ description: 'false: found unfit (Arshin "извещение о непригодности")' })
  applicable: boolean;

  @ApiProperty({ enum: ['registry', 'operator', 'arshin'] })
  source: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '1-402115790',
    description: 'Arshin record id',
  })
  vriId: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'ФБУ «Ростест-Москва»' })
  orgTitle: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'С-ВЯ/15-03-2026/402115790' })
  resultDocnum: string | null;

  @ApiProperty({ type: String, nullable: true })
  certificateNo: string | null;

  @ApiProperty({
    example: 'petrova',
    description: 'operator login, `registry`, or who ran the sync',
  })
  recordedBy: string;

  @ApiProperty({ example: '2026-11-20T10:15:02.311+03:00' })
  recordedAt: string;
}

export class VerificationHistoryDto {
  @ApiProperty({ example: '19-123456' })
  serial: string;

  @ApiProperty({ type: [VerificationHistoryEntryDto], description: 'Latest first' })
  verifications: VerificationHistoryEntryDto[];
}

export class SyncFailureDto {
  @ApiProperty({ example: '19-123456' })
  serial: string;

  @ApiProperty({ example: 'HTTP 503' })
  error: string;
}

export class VerificationSyncReportDto {
  @ApiProperty({ description: 'Meters Arshin answered for' })
  checked: number;

  @ApiProperty({ description: 'Meters with records new to their history' })
  recorded: number;

  @ApiProperty({ description: 'Meters whose new current record says unfit' })
  unfit: number;

  @ApiProperty({ description: 'Meters Arshin has no record of' })
  notFound: number;

  @ApiProperty({ description: 'Readings whose decision changed on revalidation' })
  revalidated: number;

  @ApiProperty({
    type: [SyncFailureDto],
    description:
      'Arshin did not answer (or the circuit is open), its records are ambiguous or unclear, or an item of its answer was skipped as unusable',
  })
  failed: SyncFailureDto[];
}
