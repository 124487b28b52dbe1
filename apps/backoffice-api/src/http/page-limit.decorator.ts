import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The optional `limit` query parameter of a listing: 1 to `max` entries, `fallback` when absent. */
export function PageLimit(max: number, fallback = 100): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ default: fallback, minimum: 1, maximum: max }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'limit must be an integer' }),
    Min(1, { message: `limit must be 1 to ${max}` }),
    Max(max, { message: `limit must be 1 to ${max}` }),
  );
}
