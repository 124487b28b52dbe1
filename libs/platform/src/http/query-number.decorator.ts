import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsOptional, ValidateBy } from 'class-validator';
import { numberRuleText, plainNumber } from '@gw/domain';

/**
 * An optional number query parameter of `min` to `max`, written in digits (with one decimal point
 * where `fraction` allows it); anything else is refused naming the parameter (see plainNumber).
 */
export function QueryNumber(
  min: number,
  max: number,
  { fraction = false } = {},
): PropertyDecorator {
  const rule = { min, max, fraction };
  return applyDecorators(
    IsOptional(),
    // A query string holds texts only: what this leaves a text was not a number of the rule.
    Transform(({ value }) => plainNumber(value, rule) ?? value),
    ValidateBy({
      name: 'queryNumber',
      validator: {
        validate: (value) => typeof value === 'number',
        defaultMessage: (args) => `${args?.property} must be ${numberRuleText(rule)}`,
      },
    }),
  );
}
