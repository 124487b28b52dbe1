import { ApiProperty } from '@nestjs/swagger';
import { RESOURCES, type Resource } from '@gw/contracts';
import { ACCOUNT_NUMBER, type VerificationStatus } from '@gw/domain';
import { Matches } from 'class-validator';
import { ZoneValueDto } from '../http/zone-value.dto';

const VERIFICATION_STATUSES: VerificationStatus[] = [
  'valid',
  'due_soon',
  'expired',
  'decommissioned',
];

export class AccountParamsDto {
  @ApiProperty({ example: '5001234567', pattern: ACCOUNT_NUMBER.source })
  @Matches(ACCOUNT_NUMBER, { message: 'accountNumber must be 10 digits' })
  accountNumber: string;
}

export class LastAcceptedDto {
  @ApiProperty({ example: '2026-11-20T10:15:00.000+03:00' })
  readAt: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-11',
    description: "null for the registry's initial values (no reading accepted yet)",
  })
  billingPeriod: string | null;

  @ApiProperty({ type: [ZoneValueDto] })
  values: ZoneValueDto[];
}

export class AccountMeterDto {
  @ApiProperty({ example: '19-123456' })
  serial: string;

  @ApiProperty({ enum: RESOURCES })
  resource: Resource;

  @ApiProperty({ example: 1, description: 'Tariff zones, 1 to 3' })
  zones: number;

  @ApiProperty({ example: 5 })
  integerDigits: number;

  @ApiProperty({ example: 3 })
  fractionDigits: number;

  @ApiProperty({ example: '2019-03-01' })
  installedOn: string;

  @ApiProperty({ example: '2019-03-01', description: 'Last verification (поверка)' })
  verifiedOn: string;

  @ApiProperty({ example: '2025-03-01' })
  verificationDueOn: string;

  @ApiProperty({
    enum: VERIFICATION_STATUSES,
    description:
      "On today's Moscow date: decommissioned once removed; expired after the due date; " +
      'due_soon within 30 days of it; otherwise valid',
  })
  verificationStatus: VerificationStatus;

  @ApiProperty({ type: String, nullable: true, example: null })
  decommissionedOn: string | null;

  @ApiProperty({
    required: false,
    example: '2026-11-19',
    description:
      'Present only when the verification in force today is an unfit finding (Arshin ' +
      '`applicability: false`): its date. `verificationStatus` is then `expired`',
  })
  unfitSince?: string;

  @ApiProperty({
    type: LastAcceptedDto,
    nullable: true,
    description:
      "The latest accepted reading, or the registry's initial values while there is none; null when neither exists",
  })
  lastAccepted: LastAcceptedDto | null;
}

export class AccountMetersDto {
  @ApiProperty({ example: '5001234567' })
  accountNumber: string;

  @ApiProperty({ type: [AccountMeterDto], description: 'In serial order' })
  meters: AccountMeterDto[];
}
