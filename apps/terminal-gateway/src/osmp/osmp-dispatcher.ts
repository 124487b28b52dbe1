import { Injectable } from '@nestjs/common';
import type { AuthenticatedTerminal } from '../auth/terminal-authenticator';
import { CheckAccountUseCase } from '../use-cases/check-account.use-case';
import { PayReadingsUseCase } from '../use-cases/pay-readings.use-case';
import { TxnStatusUseCase } from '../use-cases/txn-status.use-case';
import { osmpRequests } from './osmp-metrics';
import { type OsmpParams, parseCommand } from './osmp-params';
import { type OsmpReply, renderOsmpReply } from './osmp-xml';

/** Routes a request to its command. Refusals are thrown and answered by OsmpExceptionFilter. */
@Injectable()
export class OsmpDispatcher {
  constructor(
    private readonly check: CheckAccountUseCase,
    private readonly pay: PayReadingsUseCase,
    private readonly status: TxnStatusUseCase,
  ) {}

  async handle(terminal: AuthenticatedTerminal, params: OsmpParams): Promise<string> {
    const command = parseCommand(params);
    let reply: OsmpReply;
    if (command === 'check') reply = await this.check.execute(params);
    else if (command === 'pay') reply = await this.pay.execute(terminal, params);
    else reply = await this.status.execute(terminal, params);
    osmpRequests.inc({ command, result: String(reply.result) });
    return renderOsmpReply(reply);
  }
}
