import { dataSourceOptions } from '@gw/persistence';
import { databaseTimeouts, databaseTls } from '@gw/platform';
import { DataSource } from 'typeorm';
import type { CtlEnv } from '../ctl.env';

/** A connected database, as a command hands it to its repositories. */
export type Database = DataSource;

/** Connects for one command and disconnects after it, whether it succeeded or not. */
export async function withDatabase<T>(
  env: CtlEnv,
  work: (db: DataSource) => Promise<T>,
): Promise<T> {
  const db = await new DataSource(
    // Two for the command's statements, one for a job lock it may hold (`exclusively`).
    dataSourceOptions(env.DATABASE_URL, 3, {
      timeouts: databaseTimeouts(env),
      tls: databaseTls(env),
    }),
  ).initialize();
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}
