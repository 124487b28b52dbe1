import { DataSource, type DataSourceOptions } from 'typeorm';
import { AccountEntity } from './entities/account.entity';
import { MeterVerificationEntity } from './entities/meter-verification.entity';
import { MeterEntity } from './entities/meter.entity';
import { OperatorEntity } from './entities/operator.entity';
import { ReadingEntity } from './entities/reading.entity';
import { InitialSchema1764072000000 } from './migrations/1764072000000-initial-schema';

export const ENTITIES = [
  AccountEntity,
  MeterEntity,
  MeterVerificationEntity,
  OperatorEntity,
  ReadingEntity,
];
export const MIGRATIONS = [InitialSchema1764072000000];

/** The one description of the database: migrations only, never `synchronize`. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'all',
    synchronize: false,
    migrationsRun: false,
    extra: { max: poolSize, application_name: 'meter-gateway' },
  };
}

/** Applies pending migrations; safe to call from several processes at once (advisory lock). */
export async function migrate(url: string): Promise<string[]> {
  const dataSource = await new DataSource(dataSourceOptions(url, 1)).initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock(727274)');
    const applied = await dataSource.runMigrations();
    return applied.map((m) => m.name);
  } finally {
    await dataSource.query('SELECT pg_advisory_unlock(727274)').catch(() => undefined);
    await dataSource.destroy();
  }
}
