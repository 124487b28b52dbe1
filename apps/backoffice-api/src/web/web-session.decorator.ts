import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { PageFrame } from './pages/layout.page';
import type { WebRequest } from './web-auth.guard';
import { csrfToken } from './web-session';

/** The signed-in operator of a page and the form token of their session. */
export const WebSession = createParamDecorator(
  (_data: unknown, context: ExecutionContext): NonNullable<PageFrame['session']> => {
    const request = context.switchToHttp().getRequest<WebRequest>();
    return { operator: request.operator, csrf: csrfToken(request.sessionToken) };
  },
);
