import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsOptional, ValidateBy } from 'class-validator';

const WHOLE = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * An optional number query parameter of `min` to `max`, written in digits (with one decimal point
 * where `fraction` allows it). Anything else is refused naming the parameter: Number() would read
 * an empty value or blanks as 0, `0x10` as 16 and `1e2` as 100.
 */
export function QueryNumber(
  min: number,
  max: number,
  { fraction = false } = {},
): PropertyDecorator {
  const format = fraction ? DECIMAL : WHOLE;
  const rule = fraction
    ? `a number ${min} to ${max}, written in digits with at most one decimal point`
    : `a whole number ${min} to ${max}, written in digits`;
  return applyDecorators(
    IsOptional(),
    Transform(({ value }) =>
      typeof value === 'string' && format.test(value) ? Number(value) : value,
    ),
    ValidateBy({
      name: 'queryNumber',
      validator: {
        validate: (value) => typeof value === 'number' && value >= min && value <= max,
        defaultMessage: (args) => `${args?.property} must be ${rule}`,
      },
    }),
  );
}
