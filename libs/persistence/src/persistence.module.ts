import { type DynamicModule, Global, Injectable, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_GUARD } from '@nestjs/core';
import { DEPENDENCY_OUTAGE, type HealthIndicator } from '@gw/platform';
import { DataSource } from 'typeorm';
import { DatabaseConnectedGuard, DatabaseConnector } from './database-connector';
import { type ConnectionOptions, dataSourceOptions } from './data-source';
import { isDatabaseUnavailable } from './database-unavailable';
import { TransactionRunner } from './transaction';
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
import { RevokedSessionRepository } from './repositories/revoked-session.repository';

@Injectable()
export class DatabaseHealthIndicator implements HealthIndicator {
  readonly name = 'postgres';

  constructor(private readonly db: DataSource) {}

  async check(): Promise<boolean> {
    if (!this.db.isInitialized) return false;
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
  RevokedSessionRepository,
];

/**
 * The one DataSource of an app, with its repositories and a readiness check. The DataSource is
 * connected in the background (DatabaseConnector), so the app starts whether or not PostgreSQL
 * answers yet; the database's driver errors are recognised as an outage by the HTTP filter.
 */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(url: string, poolSize = 10, connection: ConnectionOptions = {}): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(url, poolSize, connection),
          manualInitialization: true,
        }),
      ],
      providers: [
        DatabaseHealthIndicator,
        DatabaseConnector,
        { provide: APP_GUARD, useClass: DatabaseConnectedGuard },
        { provide: DEPENDENCY_OUTAGE, useValue: isDatabaseUnavailable },
        ...REPOSITORIES.map((repository) => ({
          provide: repository,
          useFactory: (db: DataSource) => new repository(db),
          inject: [DataSource],
        })),
        {
          provide: TransactionRunner,
          useFactory: (db: DataSource) => new TransactionRunner(db),
          inject: [DataSource],
        },
        {
          provide: RateLimiter,
          useFactory: (counters: RateLimitRepository) => new RateLimiter(counters),
          inject: [RateLimitRepository],
        },
      ],
      exports: [
        DatabaseHealthIndicator,
        DatabaseConnector,
        DEPENDENCY_OUTAGE,
        RateLimiter,
        TransactionRunner,
        ...REPOSITORIES,
      ],
    };
  }
}
