import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './operator-auth.guard';
import type { OperatorPrincipal } from './operator-tokens';

/** The operator a guarded route acts for, as the guard attached it. */
export const CurrentOperator = createParamDecorator(
  (_data: unknown, context: ExecutionContext): OperatorPrincipal =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().operator,
);
