import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import { SessionTokens } from './session-tokens.service';

export interface ResidentRequest extends Request {
  residentId?: string;
}

/** Admits requests with `Authorization: Bearer <token>` of a signed-in resident. */
@Injectable()
export class ResidentAuthGuard implements CanActivate {
  constructor(private readonly tokens: SessionTokens) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<ResidentRequest>();
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const residentId = bearer ? this.tokens.residentOf(bearer[1]) : null;
    if (!residentId)
      throw new UnauthorizedException(
        'a valid session token is required: Authorization: Bearer <token>',
      );
    req.residentId = residentId;
    return true;
  }
}

/** The signed-in resident's id (behind ResidentAuthGuard). */
export const ResidentId = createParamDecorator(
  (_: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<ResidentRequest>().residentId as string,
);
