import { type DynamicModule, Global, Module } from '@nestjs/common';
import { PersistenceModule, ReadingRepository } from '@gw/persistence';
import { READING_POLICY, readingPolicy } from '@gw/runtime';
import { BACKOFFICE_ENV, type BackofficeEnv } from './backoffice.env';
import { OutcomeRelay } from './outcomes/outcome-relay';
import { OutcomeOutboxRepository } from './persistence/outcome-outbox.repository';
import { ReadingRules } from './rules/reading-rules';

/** What every feature module of the back office shares: its settings, the rules, the outcome relay. */
@Global()
@Module({})
export class BackofficeCoreModule {
  static forRoot(env: BackofficeEnv): DynamicModule {
    return {
      module: BackofficeCoreModule,
      imports: [PersistenceModule.forFeature([OutcomeOutboxRepository, ReadingRepository])],
      providers: [
        { provide: BACKOFFICE_ENV, useValue: env },
        { provide: READING_POLICY, useValue: readingPolicy(env) },
        OutcomeRelay,
        ReadingRules,
      ],
      exports: [BACKOFFICE_ENV, READING_POLICY, OutcomeRelay, ReadingRules],
    };
  }
}
