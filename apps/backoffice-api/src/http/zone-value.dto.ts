import { ApiProperty } from '@nestjs/swagger';
import { ZONES } from '@gw/contracts';

export class ZoneValueDto {
  @ApiProperty({ enum: ZONES, example: 'T1' })
  zone: string;

  @ApiProperty({ example: '01234.567', description: 'Decimal string, never a binary float' })
  value: string;
}
