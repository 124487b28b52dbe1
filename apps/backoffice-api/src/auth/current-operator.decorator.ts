import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './operator-auth.guard';
import type { OperatorSession } from './operator-tokens';

/** The operator a guarded route acts for, and their session, as the guard attached it. */
export const CurrentOperator = createParamDecorator(
  (_data: unknown, context: ExecutionContext): OperatorSession =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().operator,
);
