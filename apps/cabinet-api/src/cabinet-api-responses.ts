import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
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

/**
 * The 429 of every operation: the per-address gate refuses any of them first; `own` names the
 * refusals of an operation that also counts its attempts (OpenAPI).
 */
export const ApiTooManyRequests = (own?: string) =>
  ApiTooManyRequestsResponse({
    description: `${own ? `${own}, or ` : ''}TOO_MANY_REQUESTS: this address is over its request rate; see Retry-After`,
  });
