import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiServiceUnavailableResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';

/** The refusals of an operation whose body or query `cabinetValidation` checks (OpenAPI). */
export const ApiCheckedInput = ({ json }: { json: boolean }) =>
  applyDecorators(
    ApiBadRequestResponse({ description: 'A malformed field; `message` lists each one' }),
    ...(json
      ? [ApiUnsupportedMediaTypeResponse({ description: 'Content-Type must be application/json' })]
      : []),
  );

/** The refusal of an operation that must e-mail someone before it answers. */
export const ApiMailUnavailable = (what: string) =>
  ApiServiceUnavailableResponse({
    description: `MAIL_UNAVAILABLE: the mail server did not take ${what}; see Retry-After`,
  });
