import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { type ResidentSession, SessionTokens } from './session-tokens.service';

export interface ResidentRequest extends Request {
  residentId?: string;
  residentSession?: ResidentSession;
}

/** Admits requests with `Authorization: Bearer <token>` of a signed-in resident. */
@Injectable()
export class ResidentAuthGuard implements CanActivate {
  constructor(private readonly tokens: SessionTokens) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ResidentRequest>();
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const session = bearer ? await this.tokens.verify(bearer[1]) : null;
    if (!session) {
      // A 401 names the scheme it wants (RFC 9110).
      context.switchToHttp().getResponse<Response>().set('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException(
        'a valid session token is required: Authorization: Bearer <token>',
      );
    }
    req.residentId = session.residentId;
    req.residentSession = session;
    return true;
  }
}

/** The signed-in resident's id (behind ResidentAuthGuard). */
export const ResidentId = createParamDecorator(
  (_: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<ResidentRequest>().residentId as string,
);

/** The session the request was made in (behind ResidentAuthGuard). */
export const CurrentResidentSession = createParamDecorator(
  (_: unknown, context: ExecutionContext): ResidentSession =>
    context.switchToHttp().getRequest<ResidentRequest>().residentSession as ResidentSession,
);
