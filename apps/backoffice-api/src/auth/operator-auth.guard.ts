import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { OperatorRole } from '@gw/persistence';
import type { Request, Response } from 'express';
import { hasRole } from './operator-role';
import { type OperatorSession, OperatorTokens } from './operator-tokens';

export const REQUIRED_ROLE = 'backoffice:required-role';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** A request the guard admitted, with the operator it acts for (read by `@CurrentOperator()`). */
export interface AuthenticatedRequest extends Request {
  operator: OperatorSession;
}

/**
 * Admits a request whose bearer token is valid and whose role reaches the route's `@Roles(...)`,
 * and attaches the operator to it, so actions can be written to the audit log under their name.
 */
@Injectable()
export class OperatorAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: OperatorTokens,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // A route guarded without a role fails closed: only admins pass.
    const required =
      this.reflector.getAllAndOverride<OperatorRole | undefined>(REQUIRED_ROLE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'admin';
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const token = BEARER.exec(header ?? '')?.[1];
    if (!token) throw unauthorized(http.getResponse(), 'missing bearer token');
    const operator = await this.tokens.verify(token);
    if (!operator) throw unauthorized(http.getResponse(), 'invalid or expired token');
    if (!hasRole(operator.role, required))
      throw new ForbiddenException(`this call needs the role ${required} or above`);
    request.operator = operator;
    return true;
  }
}

function unauthorized(res: Response, message: string): UnauthorizedException {
  res.set('WWW-Authenticate', 'Bearer');
  return new UnauthorizedException(message);
}
