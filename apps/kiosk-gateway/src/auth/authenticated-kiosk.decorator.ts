import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { KioskHttpRequest, NonceClaim } from '../http/kiosk-http-request';

const kioskRequest = (context: ExecutionContext) =>
  context.switchToHttp().getRequest<KioskHttpRequest>();

/** The kiosk KioskSignatureGuard authenticated for this request. */
export const AuthenticatedKiosk = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => kioskRequest(context).kioskId as string,
);

/** The claim of this request's nonce, for a handler marked with AwaitsNonceClaim. */
export const KioskNonceClaim = createParamDecorator(
  (_data: unknown, context: ExecutionContext): NonceClaim =>
    kioskRequest(context).nonceClaim as NonceClaim,
);
