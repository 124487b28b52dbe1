import { type DynamicModule, Global, Injectable, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { HealthIndicator } from '@gw/platform';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';
import { MeterRepository } from './repositories/meter.repository';
import { OperatorRepository } from './repositories/operator.repository';
import { ReadingRepository } from './repositories/reading.repository';
import { RegistryRepository } from './repositories/registry.repository';

@Injectable()
export class DatabaseHealthIndicator implements HealthIndicator {
  readonly name = 'postgres';

  constructor(private readonly db: DataSource) {}

  async check(): Promise<boolean> {
    await this.db.query('SELECT 1');
    return true;
  }
}

const REPOSITORIES = [MeterRepository, OperatorRepository, ReadingRepository, RegistryRepository];

/** The one DataSource of an app, with its repositories and a readiness check. */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(url: string, poolSize = 10): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [TypeOrmModule.forRoot(dataSourceOptions(url, poolSize))],
      providers: [
        DatabaseHealthIndicator,
        ...REPOSITORIES.map((repository) => ({
          provide: repository,
          useFactory: (db: DataSource) => new repository(db),
          inject: [DataSource],
        })),
      ],
      exports: [DatabaseHealthIndicator, ...REPOSITORIES],
    };
  }
}
