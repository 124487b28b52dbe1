import { ApiProperty } from '@nestjs/swagger';
import {
  CHANNELS,
  OUTCOME_STATUSES,
  type OutcomeStatus,
  REJECTION_CODES,
  REVIEW_CODES,
  WARNING_CODES,
} from '@gw/contracts';
import { STANDING_VALUES, ZoneValueDto } from '../http/zone-value.dto';

/** A submission and the processor's (or, later, an operator's) current decision on it. */
export class SubmissionDto {
  @ApiProperty({ format: 'uuid' })
  submissionId: string;

  @ApiProperty({ enum: CHANNELS })
  channel: string;

  @ApiProperty({ enum: OUTCOME_STATUSES })
  status: OutcomeStatus;

  @ApiProperty({ enum: [...REJECTION_CODES, ...REVIEW_CODES], isArray: true })
  reasons: string[];

  @ApiProperty({ enum: WARNING_CODES, isArray: true })
  warnings: string[];

  @ApiProperty({ example: '5001234567' })
  accountNumber: string;

  @ApiProperty({ example: '19-123456' })
  meterSerial: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-11',
    description: 'YYYY-MM; null when the reading was rejected before a period could be assigned',
  })
  billingPeriod: string | null;

  @ApiProperty({ type: [ZoneValueDto], description: STANDING_VALUES })
  values: ZoneValueDto[];

  @ApiProperty({ example: '2026-11-20T10:15:00.000+03:00' })
  readAt: string;

  @ApiProperty({ example: '2026-11-20T10:15:02.311+03:00' })
  receivedAt: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '4bf92f3577b34da6a3ce929d0e0e4736',
    description:
      'The W3C trace id the submission travelled with, as in the request logs of the edge that took it; null when it came without one. Beyond contract 6.',
  })
  traceId: string | null;
}
