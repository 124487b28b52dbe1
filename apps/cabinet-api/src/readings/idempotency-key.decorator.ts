import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

const KEY = /^[\x21-\x7e]{1,64}$/;

/** An idempotency key, by header or by the readings form's `_key`: 1 to 64 printable characters. */
export const isIdempotencyKey = (value: unknown): value is string =>
  typeof value === 'string' && KEY.test(value);

/** The optional `Idempotency-Key` header: 1 to 64 printable characters, or null when absent. */
export const IdempotencyKey = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | null => {
    const value = context.switchToHttp().getRequest<Request>().headers['idempotency-key'];
    if (value === undefined) return null;
    if (!isIdempotencyKey(value))
      throw new BadRequestException('Idempotency-Key must be 1 to 64 printable characters');
    return value;
  },
);
