import { type DynamicModule, Global, Module } from '@nestjs/common';
import { OutcomeOutboxRepository, PersistenceModule, ReadingRepository } from '@gw/persistence';
import {
  OUTCOME_RELAY_SETTINGS,
  OutcomeRelay,
  READING_POLICY,
  readingPolicy,
  ReadingRules,
} from '@gw/runtime';
import { BACKOFFICE_ENV, type BackofficeEnv } from './backoffice.env';

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
        {
          provide: OUTCOME_RELAY_SETTINGS,
          useValue: {
            intervalMs: env.BACKOFFICE_OUTBOX_INTERVAL_MS,
            decidedBy: env.BACKOFFICE_DECIDED_BY,
          },
        },
        OutcomeRelay,
        ReadingRules,
      ],
      exports: [BACKOFFICE_ENV, READING_POLICY, OutcomeRelay, ReadingRules],
    };
  }
}
