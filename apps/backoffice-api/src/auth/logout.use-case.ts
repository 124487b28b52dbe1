import { Injectable } from '@nestjs/common';
import { AuditLogRepository } from '@gw/persistence';
import { type OperatorSession, OperatorTokens } from './operator-tokens';

/**
 * Ends the operator's current session on the server: its token (API or web cookie) is refused by
 * every instance from now on, while the operator's other sessions go on. The session is ended
 * before the log entry is written, so a failure to log never leaves the session running.
 */
@Injectable()
export class LogoutUseCase {
  constructor(
    private readonly tokens: OperatorTokens,
    private readonly audit: AuditLogRepository,
  ) {}

  async execute(session: OperatorSession): Promise<void> {
    await this.tokens.end(session);
    await this.audit.appendAlone({
      login: session.login,
      role: session.role,
      action: 'auth.logout',
      subject: `operator:${session.login}`,
      before: null,
      after: null,
    });
  }
}
