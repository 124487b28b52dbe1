import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OSMP_COMMANDS } from './osmp-params';

/**
 * The parameters of an OSMP request, for the OpenAPI document. They are parsed by the protocol's
 * own rules (osmp-params.ts), because a bad value is answered with a result code, not an HTTP 400.
 * Readings repeat for N = 1..20: `meterN`, `t1_N`, `t2_N`, `t3_N`.
 */
export class OsmpRequestDto {
  @ApiProperty({ enum: OSMP_COMMANDS })
  command: string;

  @ApiProperty({
    description:
      "The network's transaction id, digits only, at most 20: the idempotency key of pay",
    example: '1234567',
  })
  txn_id: string;

  @ApiPropertyOptional({
    description: 'Account number, 10 digits (check, pay)',
    example: '5001234567',
  })
  account?: string;

  @ApiPropertyOptional({
    description:
      'Amount paid, comma or dot, at most 2 fraction digits (check, pay); readings only: 0.00',
    example: '0.00',
  })
  sum?: string;

  @ApiPropertyOptional({
    description:
      "The network's local (Moscow) time of the transaction, YYYYMMDDHHMMSS (pay); the readings' readAt",
    example: '20261120101500',
  })
  txn_date?: string;

  @ApiPropertyOptional({
    description: 'Serial of the first meter (pay); meter2 … meter20 likewise',
    example: '19-123456',
  })
  meter1?: string;

  @ApiPropertyOptional({
    description: 'Value of zone T1 (single-rate or day) of meter1, comma or dot; t1_N for meterN',
    example: '01234,567',
  })
  t1_1?: string;

  @ApiPropertyOptional({ description: 'Value of zone T2 (night) of meter1; t2_N for meterN' })
  t2_1?: string;

  @ApiPropertyOptional({
    description: 'Value of zone T3 (peak/semi-peak) of meter1; t3_N for meterN',
  })
  t3_1?: string;
}
