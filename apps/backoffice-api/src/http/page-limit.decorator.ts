import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { QueryNumber } from '@gw/platform';

/** The optional `limit` query parameter of a listing: 1 to `max` entries, `fallback` when absent. */
export function PageLimit(max: number, fallback = 100): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', default: fallback, minimum: 1, maximum: max }),
    QueryNumber(1, max),
  );
}
