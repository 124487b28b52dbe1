import { ApiProperty } from '@nestjs/swagger';
import { ZONES } from '@gw/contracts';

/** What a reading's `values` are, wherever the back office shows a stored reading. */
export const STANDING_VALUES =
  'The values the reading stands with: as submitted, or as corrected by an operator who approved it';

export class ZoneValueDto {
  @ApiProperty({ enum: ZONES, example: 'T1' })
  zone: string;

  @ApiProperty({ example: '01234.567', description: 'Decimal string, never a binary float' })
  value: string;
}
