import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';

/**
 * A required text of `min` to `max` characters once trimmed, as the web forms trim it: blanks
 * alone are refused, and the same text typed in the web UI or sent to the API is stored alike.
 */
export function TrimmedText(min: number, max: number): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)),
    IsString({ message: ({ property }) => `${property} must be a string` }),
    Length(min, max, {
      message: ({ property }) =>
        `${property} must be ${min} to ${max} characters, blanks at either end not counted`,
    }),
  );
}
