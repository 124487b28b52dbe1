import { ApiProperty } from '@nestjs/swagger';
import { OUTCOME_STATUSES } from '@gw/contracts';

class SubmittedValueDto {
  @ApiProperty({ example: 'T1' })
  zone: string;

  @ApiProperty({ example: '01234.567' })
  value: string;
}

/** A kiosk's own submission as the processor recorded it, for the receipt (same fields as contract 6). */
export class KioskSubmissionDto {
  @ApiProperty({ example: '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11' })
  submissionId: string;

  @ApiProperty({ example: 'kiosk' })
  channel: string;

  @ApiProperty({ enum: OUTCOME_STATUSES })
  status: string;

  @ApiProperty({ type: [String], example: [] })
  reasons: string[];

  @ApiProperty({ type: [String], example: ['VERIFICATION_DUE_SOON'] })
  warnings: string[];

  @ApiProperty({ example: '5001234567' })
  accountNumber: string;

  @ApiProperty({ example: '19-123456' })
  meterSerial: string;

  @ApiProperty({ example: '2026-11', nullable: true, type: String })
  billingPeriod: string | null;

  @ApiProperty({ type: [SubmittedValueDto] })
  values: SubmittedValueDto[];

  @ApiProperty({ example: '2026-11-20T10:15:00.000+03:00' })
  readAt: string;

  @ApiProperty({ example: '2026-11-20T10:15:02.311+03:00' })
  receivedAt: string;
}
