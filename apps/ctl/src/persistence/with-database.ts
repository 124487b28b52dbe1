import { dataSourceOptions } from '@gw/persistence';
import { databaseTimeouts } from '@gw/platform';
import { DataSource } from 'typeorm';
import type { CtlEnv } from '../ctl.env';

/** Connects for one command and disconnects after it, whether it succeeded or not. */
export async function withDatabase<T>(
  env: CtlEnv,
  work: (db: DataSource) => Promise<T>,
): Promise<T> {
  const db = await new DataSource(
    dataSourceOptions(env.DATABASE_URL, 2, { timeouts: databaseTimeouts(env) }),
  ).initialize();
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}
