import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANNELS, OUTCOME_STATUSES, type OutcomeStatus } from '@gw/contracts';
import { isOrderedRange, isPeriod, METER_SERIAL, PERIOD_FORMAT } from '@gw/domain';
import {
  buildMessage,
  IsOptional,
  Matches,
  Validate,
  type ValidationArguments,
  ValidateBy,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { STANDING_VALUES, ZoneValueDto } from '../http/zone-value.dto';

export class SerialParamsDto {
  @ApiProperty({ example: '19-123456', minLength: 1, maxLength: 32 })
  @Matches(METER_SERIAL, { message: 'serial must be 1 to 32 printable characters' })
  serial: string;
}

const IsPeriod = () =>
  ValidateBy({
    name: 'isPeriod',
    validator: {
      validate: (value) => isPeriod(value),
      defaultMessage: buildMessage((each) => `${each}$property must be a billing period YYYY-MM`),
    },
  });

@ValidatorConstraint({ name: 'periodRangeOrder' })
class FromNotAfterTo implements ValidatorConstraintInterface {
  validate(to: unknown, { object }: ValidationArguments): boolean {
    const { from } = object as MeterReadingsQueryDto;
    // Malformed ends are reported by @IsPeriod; order is only meaningful between two periods.
    return !isPeriod(from) || !isPeriod(to) || isOrderedRange({ from, to });
  }

  defaultMessage(): string {
    return 'from must not be after to';
  }
}

export class MeterReadingsQueryDto {
  @ApiPropertyOptional({
    example: '2026-01',
    pattern: PERIOD_FORMAT.source,
    description: 'First billing period (YYYY-MM, inclusive); open when omitted',
  })
  @IsOptional()
  @IsPeriod()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-12',
    pattern: PERIOD_FORMAT.source,
    description: 'Last billing period (YYYY-MM, inclusive); open when omitted',
  })
  @IsOptional()
  @IsPeriod()
  @Validate(FromNotAfterTo)
  to?: string;
}

export class MeterReadingDto {
  @ApiProperty({ format: 'uuid' })
  submissionId: string;

  @ApiProperty({ enum: CHANNELS })
  channel: string;

  @ApiProperty({
    example: '5001234567',
    description:
      'The account the reading was submitted for: another than the meter’s when rejected ' +
      'METER_NOT_ON_ACCOUNT, or when the meter has moved since',
  })
  accountNumber: string;

  @ApiProperty({ enum: OUTCOME_STATUSES })
  status: OutcomeStatus;

  @ApiProperty({ type: [String], example: [] })
  reasons: string[];

  @ApiProperty({ type: [String], example: ['VERIFICATION_DUE_SOON'] })
  warnings: string[];

  @ApiProperty({ type: String, nullable: true, example: '2026-11' })
  billingPeriod: string | null;

  @ApiProperty({ type: [ZoneValueDto], description: STANDING_VALUES })
  values: ZoneValueDto[];

  @ApiProperty({
    type: [ZoneValueDto],
    description: 'Consumption since the last accepted reading, per zone (empty when rejected)',
  })
  consumption: ZoneValueDto[];

  @ApiProperty({ example: '2026-11-20T10:15:00.000+03:00' })
  readAt: string;

  @ApiProperty({ example: '2026-11-20T10:15:02.311+03:00' })
  receivedAt: string;

  @ApiProperty({ example: '2026-11-20T10:15:02.911+03:00' })
  decidedAt: string;
}

export class MeterReadingsDto {
  @ApiProperty({ example: '19-123456' })
  serial: string;

  @ApiProperty({ example: '5001234567', description: 'The account the meter is registered on' })
  accountNumber: string;

  @ApiProperty({ type: String, nullable: true, example: '2026-01' })
  from: string | null;

  @ApiProperty({ type: String, nullable: true, example: '2026-12' })
  to: string | null;

  @ApiProperty({
    type: [MeterReadingDto],
    description:
      'Every recorded submission of the meter whose billing period is in the range (a reading ' +
      'rejected before a period was assigned counts in the Moscow month it was read), oldest first',
  })
  readings: MeterReadingDto[];
}
