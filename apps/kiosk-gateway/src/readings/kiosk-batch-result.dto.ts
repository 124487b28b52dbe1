import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const ITEM_STATUSES = ['queued', 'invalid'] as const;

export class KioskItemResultDto {
  @ApiProperty({
    example: 3,
    nullable: true,
    description: "The item's `seq` as sent (null when it sent none)",
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  })
  seq: number | string | null;

  @ApiPropertyOptional({
    example: '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11',
    description: 'For queued items: the same for a retried batch',
  })
  submissionId?: string;

  @ApiProperty({ enum: ITEM_STATUSES })
  status: (typeof ITEM_STATUSES)[number];

  @ApiPropertyOptional({
    type: [String],
    example: ['accountNumber must be a string of 10 digits'],
    description: 'For invalid items: what is wrong with it; the item was not queued',
  })
  errors?: string[];
}

/** The 202 answer: one result per item, in the order of the request. */
export class KioskBatchResultDto {
  @ApiProperty({ example: '77' })
  batchId: string;

  @ApiProperty({ type: [KioskItemResultDto] })
  items: KioskItemResultDto[];
}
