import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsObject, isObject, ValidateBy } from 'class-validator';

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
 * parsed once at boot; text that is not a JSON object fails validation with `message`, and an
 * object in which `problemsOf` finds something wrong fails with those problems.
 */
export function JsonObjectEnv(
  message: string,
  problemsOf: (value: object) => string[] = () => [],
): PropertyDecorator {
  return applyDecorators(
    Transform(parseJson),
    IsObject({ message }),
    ValidateBy({
      name: 'jsonObjectEntries',
      validator: {
        validate: (value: unknown) => !isObject(value) || problemsOf(value).length === 0,
        defaultMessage: (args) => problemsOf(args?.value as object).join('; '),
      },
    }),
  );
}
