import { type DynamicModule, Injectable, Module, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_GUARD } from '@nestjs/core';
import { DEPENDENCY_OUTAGE, type HealthIndicator } from '@gw/platform';
import { DataSource } from 'typeorm';
import { DatabaseConnectedGuard, DatabaseConnector } from './database-connector';
import { type ConnectionOptions, dataSourceOptions } from './data-source';
import { isDatabaseUnavailable } from './database-unavailable';

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

/** A repository (or anything else built over the DataSource alone), as `forFeature` takes it. */
export type RepositoryClass = new (db: DataSource) => object;

const overDataSource = (repository: RepositoryClass): Provider => ({
  provide: repository,
  useFactory: (db: DataSource) => new repository(db),
  inject: [DataSource],
});

/**
 * The one DataSource of an app, connected in the background (DatabaseConnector), so the app starts
 * whether or not PostgreSQL answers yet; the database's driver errors are recognised as an outage
 * by the HTTP filter. `forRoot` is imported once per app and exports only that outage check; each
 * module lists what it uses over the DataSource (repositories, the TransactionRunner) with
 * `forFeature`, and the app's readiness checks provide DatabaseHealthIndicator.
 */
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
        DatabaseConnector,
        { provide: APP_GUARD, useClass: DatabaseConnectedGuard },
        { provide: DEPENDENCY_OUTAGE, useValue: isDatabaseUnavailable },
      ],
      exports: [DEPENDENCY_OUTAGE],
    };
  }

  /** The repositories (and the TransactionRunner) a module uses, each built over the app's DataSource. */
  static forFeature(repositories: RepositoryClass[]): DynamicModule {
    return {
      module: PersistenceFeatureModule,
      providers: repositories.map(overDataSource),
      exports: repositories,
    };
  }
}

@Module({})
class PersistenceFeatureModule {}
