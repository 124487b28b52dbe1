import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ESTIMATE_METHODS, RESOURCES, ZONES } from '@gw/contracts';
import { PERIOD_FORMAT } from '@gw/domain';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageLimit } from '../http/page-limit.decorator';

export class EstimatesExportQueryDto {
  @ApiProperty({ example: '2026-11', description: 'The billing period' })
  @Matches(PERIOD_FORMAT, { message: 'period must be a month YYYY-MM' })
  period: string;
}

export class EstimatesQueryDto extends EstimatesExportQueryDto {
  @ApiPropertyOptional({
    example: '19-123456',
    description: 'Estimates of meters after this serial (paging; serial order)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 32, { message: 'afterSerial must be 1 to 32 characters' })
  afterSerial?: string;

  @PageLimit(1000)
  limit?: number;
}

class ZoneVolumeDto {
  @ApiProperty({ enum: ZONES })
  zone: string;

  @ApiProperty({ example: '3.250' })
  value: string;
}

class EstimateBasisDto {
  @ApiProperty({ example: '2026-05' })
  from: string;

  @ApiProperty({ example: '2026-10' })
  to: string;

  @ApiProperty({ example: 6 })
  periods: number;
}

export class EstimateDto {
  @ApiProperty({ description: 'uuid v5 of serial and period' })
  estimateId: string;

  @ApiProperty({ example: '5001234567' })
  accountNumber: string;

  @ApiProperty({ example: '19-123456' })
  meterSerial: string;

  @ApiProperty({ enum: RESOURCES })
  resource: string;

  @ApiProperty({ example: '2026-11' })
  billingPeriod: string;

  @ApiProperty({ enum: ESTIMATE_METHODS.filter((m) => m !== 'reading') })
  method: string;

  @ApiProperty({ example: 1, description: 'Consecutive periods without an accepted reading' })
  consecutive: number;

  @ApiProperty({ type: [ZoneVolumeDto] })
  consumption: ZoneVolumeDto[];

  @ApiProperty({ type: EstimateBasisDto, nullable: true })
  basis: EstimateBasisDto | null;

  @ApiProperty({ type: Number, nullable: true, example: null })
  coefficient: number | null;

  @ApiProperty({ example: '2026-11-26T00:05:00.000+03:00' })
  decidedAt: string;

  @ApiProperty({ description: 'Whether its message is on meter-readings.estimates.v1' })
  published: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The submission id of the accepted reading that replaced it',
  })
  supersededBy: string | null;
}

export class EstimatesPageDto {
  @ApiProperty({ example: '2026-11' })
  period: string;

  @ApiProperty({ type: [EstimateDto], description: 'In serial order' })
  estimates: EstimateDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as afterSerial for the next page; null on the last page',
  })
  nextAfterSerial: string | null;
}
