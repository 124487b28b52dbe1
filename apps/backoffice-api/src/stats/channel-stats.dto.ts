import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANNELS, REJECTION_CODES } from '@gw/contracts';
import { IsOptional, IsString } from 'class-validator';

export class ChannelStatsQueryDto {
  @ApiPropertyOptional({
    example: '2026-11-01',
    description: 'First Moscow day (YYYY-MM-DD, inclusive); default: the 1st of the current month',
  })
  @IsOptional()
  @IsString({ message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({
    example: '2026-11-30',
    description: 'Last Moscow day (inclusive); default: today. At most 366 days in all.',
  })
  @IsOptional()
  @IsString({ message: 'to must be a date YYYY-MM-DD' })
  to?: string;
}

export class ChannelCountsDto {
  @ApiProperty({ enum: CHANNELS })
  channel: string;

  @ApiProperty({ example: 120, description: 'Readings received (all statuses)' })
  received: number;

  @ApiProperty({ example: 101 })
  accepted: number;

  @ApiProperty({ example: 3, description: 'Identical to an accepted reading of the period' })
  duplicate: number;

  @ApiProperty({ example: 9 })
  rejected: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { VALUE_FORMAT: 4, VERIFICATION_EXPIRED: 5 },
    description: `Rejected readings per reason code (${REJECTION_CODES.length} codes of contract section 3, and review codes an operator confirmed); a reading with two reasons counts under both`,
  })
  rejectedByReason: Record<string, number>;

  @ApiProperty({ example: 7, description: 'Still waiting for an operator' })
  inReview: number;
}

export class ChannelDayDto extends ChannelCountsDto {
  @ApiProperty({ example: '2026-11-20', description: 'Moscow day the readings were received' })
  date: string;
}

export class ChannelStatsDto {
  @ApiProperty({ example: '2026-11-01' })
  from: string;

  @ApiProperty({ example: '2026-11-30' })
  to: string;

  @ApiProperty({
    type: [ChannelDayDto],
    description: 'One entry per day and channel (zeros included), by day, then channel',
  })
  days: ChannelDayDto[];

  @ApiProperty({ type: [ChannelCountsDto], description: 'The range per channel' })
  totals: ChannelCountsDto[];
}
