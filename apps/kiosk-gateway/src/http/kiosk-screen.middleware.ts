import { Injectable, type NestMiddleware } from '@nestjs/common';
import { writeDomainErrorReply } from '@gw/platform';
import type { NextFunction, Response } from 'express';
import { KioskAuthenticator } from '../auth/kiosk-authenticator';
import { answer } from '../auth/kiosk-signature.guard';
import { KioskExceptionFilter } from '../kiosk-exception.filter';
import { KioskError } from '../kiosk.errors';
import type { KioskHttpRequest } from './kiosk-http-request';
import { discard } from './raw-body.middleware';

/**
 * Refuses, before the body is read, a request that cannot be a known kiosk's: malformed
 * authentication headers, a timestamp outside the clock window, an id no enabled kiosk has. The
 * answer is the one the signature guard would give (401, or 503 without the database); a
 * middleware's errors do not reach the controller's filter, so it writes the answer itself.
 * Whatever else stops the screen (the database not connected yet, say) is left to the guards,
 * which check it all again and answer it as they always have.
 */
@Injectable()
export class KioskScreenMiddleware implements NestMiddleware {
  private readonly errors = new KioskExceptionFilter();

  constructor(private readonly authenticator: KioskAuthenticator) {}

  async use(request: KioskHttpRequest, response: Response, next: NextFunction): Promise<void> {
    try {
      await answer(this.authenticator.screen(request.headers, Date.now()));
    } catch (error) {
      if (!(error instanceof KioskError)) return next();
      discard(request, response);
      writeDomainErrorReply(response, this.errors.reply(error));
      return;
    }
    next();
  }
}
