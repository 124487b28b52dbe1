import { type DynamicModule, Global, Injectable, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { HealthIndicator } from '@gw/platform';
import { DataSource } from 'typeorm';
import { type ConnectionOptions, dataSourceOptions } from './data-source';
import { KioskRepository } from './repositories/kiosk.repository';
import { RateLimitRepository } from './repositories/rate-limit.repository';
import { RateLimiter } from './rate-limiter';
import { ChargeRepository } from './repositories/charge.repository';
import { OneTimeCodeRepository } from './repositories/one-time-code.repository';
import { ResidentRepository } from './repositories/resident.repository';
import { MeterRepository } from './repositories/meter.repository';
import { OperatorRepository } from './repositories/operator.repository';
import { PartnerFeedRepository } from './repositories/partner-feed.repository';
import { PartnerMapRepository } from './repositories/partner-map.repository';
import { ReadingRepository } from './repositories/reading.repository';
import { RegistryRepository } from './repositories/registry.repository';
import { TerminalTxnRepository } from './repositories/terminal-txn.repository';
import { TerminalRepository } from './repositories/terminal.repository';
import { AuditLogRepository } from './repositories/audit-log.repository';
import { ChannelStatsRepository } from './repositories/channel-stats.repository';
import { MeterVerificationRepository } from './repositories/meter-verification.repository';
import { OutcomeOutboxRepository } from './repositories/outcome-outbox.repository';
import { ReadingRevisionRepository } from './repositories/reading-revision.repository';
import { ReviewRepository } from './repositories/review.repository';

@Injectable()
export class DatabaseHealthIndicator implements HealthIndicator {
  readonly name = 'postgres';

  constructor(private readonly db: DataSource) {}

  async check(): Promise<boolean> {
    await this.db.query('SELECT 1');
    return true;
  }
}

const REPOSITORIES = [
  ChargeRepository,
  KioskRepository,
  MeterRepository,
  OneTimeCodeRepository,
  OperatorRepository,
  PartnerFeedRepository,
  PartnerMapRepository,
  RateLimitRepository,
  ReadingRepository,
  RegistryRepository,
  ResidentRepository,
  TerminalRepository,
  TerminalTxnRepository,
  AuditLogRepository,
  ChannelStatsRepository,
  MeterVerificationRepository,
  OutcomeOutboxRepository,
  ReadingRevisionRepository,
  ReviewRepository,
];

/** The one DataSource of an app, with its repositories and a readiness check. */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(url: string, poolSize = 10, connection: ConnectionOptions = {}): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [TypeOrmModule.forRoot(dataSourceOptions(url, poolSize, connection))],
      providers: [
        DatabaseHealthIndicator,
        ...REPOSITORIES.map((repository) => ({
          provide: repository,
          useFactory: (db: DataSource) => new repository(db),
          inject: [DataSource],
        })),
        {
          provide: RateLimiter,
          useFactory: (counters: RateLimitRepository) => new RateLimiter(counters),
          inject: [RateLimitRepository],
        },
      ],
      exports: [DatabaseHealthIndicator, RateLimiter, ...REPOSITORIES],
    };
  }
}
