import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { KioskHttpRequest } from '../http/kiosk-http-request';

/** The kiosk KioskSignatureGuard authenticated for this request. */
export const AuthenticatedKiosk = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<KioskHttpRequest>().kioskId as string,
);
