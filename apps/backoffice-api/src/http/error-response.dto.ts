import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every 4xx and 5xx answer. */
export class ErrorResponseDto {
  @ApiProperty({ example: 404 })
  statusCode: number;

  @ApiPropertyOptional({ example: 'NOT_FOUND', description: 'Error code or HTTP reason phrase' })
  error?: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'submission 0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11 not found',
    description: 'What is wrong; a list when several request fields are invalid',
  })
  message: string | string[];
}
