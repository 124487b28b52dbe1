import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANNELS, OUTCOME_STATUSES, RESOURCES } from '@gw/contracts';
import { METER_SERIAL, PERIOD_FORMAT } from '@gw/domain';
import { NestedObjects } from '@gw/platform';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  Matches,
} from 'class-validator';
import { ZoneValueDto } from '../accounts/account.dto';

export const MAX_READINGS_PER_REQUEST = 50;

export class MeterReadingDto {
  @ApiProperty({ example: '19-123456' })
  @Matches(METER_SERIAL, { message: 'meterSerial must be 1 to 32 printable characters' })
  meterSerial: string;

  @ApiProperty({ type: [ZoneValueDto], description: 'One value per tariff zone of the meter' })
  @IsArray({ message: 'values must be an array' })
  @ArrayMinSize(1, { message: 'values must have 1 to 3 entries' })
  @ArrayMaxSize(3, { message: 'values must have 1 to 3 entries' })
  @ArrayUnique((v: ZoneValueDto) => v?.zone, { message: 'values must have distinct zones' })
  @NestedObjects(ZoneValueDto, '{zone, value}')
  values: ZoneValueDto[];
}

export class SubmitReadingsDto {
  @ApiProperty({ type: [MeterReadingDto], description: 'All meters at once, each at most once' })
  @IsArray({ message: 'readings must be an array' })
  @ArrayMinSize(1, { message: 'readings must name at least one meter' })
  @ArrayMaxSize(MAX_READINGS_PER_REQUEST, {
    message: `readings must name at most ${MAX_READINGS_PER_REQUEST} meters`,
  })
  @ArrayUnique((r: MeterReadingDto) => r?.meterSerial, {
    message: 'readings must name each meter once',
  })
  @NestedObjects(MeterReadingDto, '{meterSerial, values}')
  readings: MeterReadingDto[];
}

export class QueuedReadingDto {
  @ApiProperty({ example: '19-123456' })
  meterSerial: string;

  @ApiProperty({ format: 'uuid', description: 'Follow its outcome in the history' })
  submissionId: string;

  @ApiProperty({ enum: ['queued'] })
  status: 'queued';
}

export class ReadingsQueuedDto {
  @ApiProperty({ example: '5001234567' })
  accountNumber: string;

  @ApiProperty({ type: [QueuedReadingDto] })
  readings: QueuedReadingDto[];
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ example: '2026-11', description: 'Billing period; default: this month' })
  @IsOptional()
  @Matches(PERIOD_FORMAT, { message: 'period must be a month YYYY-MM' })
  period?: string;
}

export class ExplainedCodeDto {
  @ApiProperty({ example: 'VERIFICATION_EXPIRED' })
  code: string;

  @ApiProperty({ description: 'The explanation for the resident, in Russian' })
  text: string;
}

export class HistoryReadingDto {
  @ApiProperty({ format: 'uuid' })
  submissionId: string;

  @ApiProperty({ example: '19-123456' })
  meterSerial: string;

  @ApiProperty({ enum: RESOURCES, nullable: true, type: String })
  resource: string | null;

  @ApiProperty({ example: 'Холодная вода', nullable: true, type: String })
  resourceName: string | null;

  @ApiProperty({ enum: CHANNELS, description: 'Where the reading came from' })
  channel: string;

  @ApiProperty({ enum: OUTCOME_STATUSES })
  status: string;

  @ApiProperty({ example: 'Показания приняты.' })
  statusText: string;

  @ApiProperty({ type: [ExplainedCodeDto] })
  reasons: ExplainedCodeDto[];

  @ApiProperty({ type: [ExplainedCodeDto] })
  warnings: ExplainedCodeDto[];

  @ApiProperty({ nullable: true, type: String, example: '2026-11' })
  billingPeriod: string | null;

  @ApiProperty({ type: [ZoneValueDto], description: 'The values as submitted' })
  values: ZoneValueDto[];

  @ApiProperty({ type: [ZoneValueDto], description: 'Consumption since the previous reading' })
  consumption: ZoneValueDto[];

  @ApiProperty({ example: '2026-11-20T10:15:00.000+03:00' })
  readAt: string;

  @ApiProperty({ example: '2026-11-20T10:15:00.000+03:00' })
  receivedAt: string;

  @ApiProperty({ example: '2026-11-20T10:15:01.204+03:00' })
  decidedAt: string;
}

export class ReadingHistoryDto {
  @ApiProperty({ example: '5001234567' })
  accountNumber: string;

  @ApiProperty({ example: '2026-11' })
  period: string;

  @ApiProperty({ type: [HistoryReadingDto], description: 'Newest first' })
  readings: HistoryReadingDto[];
}
