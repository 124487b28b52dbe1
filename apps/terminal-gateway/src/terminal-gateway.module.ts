import { type DynamicModule, Module } from '@nestjs/common';
import { MeterRepository, PersistenceModule, ReadingRepository } from '@gw/persistence';
import { InfrastructureModule } from '@gw/runtime';
import { TerminalAuthGuard } from './auth/terminal-auth.guard';
import { TerminalAuthenticator } from './auth/terminal-authenticator';
import { OsmpDispatcher } from './osmp/osmp-dispatcher';
import { OsmpController } from './osmp/osmp.controller';
import { TerminalTxnRepository } from './persistence/terminal-txn.repository';
import { TerminalRepository } from './persistence/terminal.repository';
import { TerminalEnv } from './terminal.env';
import { CheckAccountUseCase } from './use-cases/check-account.use-case';
import { PayReadingsUseCase } from './use-cases/pay-readings.use-case';
import { TxnStatusUseCase } from './use-cases/txn-status.use-case';

@Module({})
export class TerminalGatewayModule {
  static forRoot(env: TerminalEnv): DynamicModule {
    return {
      module: TerminalGatewayModule,
      imports: [
        InfrastructureModule.forRoot({ env, clientId: 'terminal-gateway', poolSize: 5 }),
        PersistenceModule.forFeature([
          MeterRepository,
          ReadingRepository,
          TerminalRepository,
          TerminalTxnRepository,
        ]),
      ],
      controllers: [OsmpController],
      providers: [
        { provide: TerminalEnv, useValue: env },
        CheckAccountUseCase,
        OsmpDispatcher,
        PayReadingsUseCase,
        TerminalAuthenticator,
        TerminalAuthGuard,
        TxnStatusUseCase,
      ],
      // The database's outage check, for the HTTP exception filter around this module.
      exports: [InfrastructureModule],
    };
  }
}
