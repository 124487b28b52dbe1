import type { Type } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';

/**
 * The 429 of every API operation in the OpenAPI document, put on its controller: the per-address
 * gate (`clientRateLimit`) refuses any request before a route runs. `own` names the refusals of an
 * operation that also counts its attempts; `type` is the app's error body.
 */
export const ApiTooManyRequests = ({ own, type }: { own?: string; type?: Type<unknown> } = {}) =>
  ApiTooManyRequestsResponse({
    ...(type ? { type } : {}),
    description: `${own ? `${own}, or ` : ''}TOO_MANY_REQUESTS: this address is over its request rate; see Retry-After`,
  });
