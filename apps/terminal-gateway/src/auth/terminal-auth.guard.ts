import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import { type AuthenticatedTerminal, TerminalAuthenticator } from './terminal-authenticator';

export type TerminalRequest = Request & { terminal?: AuthenticatedTerminal };

/** Lets a request through only with a terminal's credentials, from an address it may use. */
@Injectable()
export class TerminalAuthGuard implements CanActivate {
  constructor(private readonly authenticator: TerminalAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TerminalRequest>();
    const terminal = await this.authenticator.authenticate(
      request.headers.authorization,
      // The client behind TRUSTED_PROXIES (Express's `trust proxy`), not the balancer.
      request.ip,
    );
    if (!terminal) throw new UnauthorizedException('wrong terminal credentials');
    request.terminal = terminal;
    return true;
  }
}

/** The terminal the guard authenticated. */
export const CurrentTerminal = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedTerminal =>
    context.switchToHttp().getRequest<TerminalRequest>().terminal as AuthenticatedTerminal,
);
