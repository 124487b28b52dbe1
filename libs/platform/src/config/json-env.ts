import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsObject } from 'class-validator';

const parseJson = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return 'invalid JSON';
  }
};

/**
 * An env variable holding a JSON object (policy overrides such as SUBMISSION_WINDOW_OVERRIDES),
 * parsed once at boot; text that is not a JSON object fails validation with `message`.
 */
export function JsonObjectEnv(message: string): PropertyDecorator {
  return applyDecorators(Transform(parseJson), IsObject({ message }));
}
