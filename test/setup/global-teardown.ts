import './register-paths';
import { dropDatabase, stopEmbeddedPostgres, stopKafka } from '../../scripts/local-env';

/** Drops this run's database and stops only what the setup started. */
export default async function globalTeardown(): Promise<void> {
  if (process.env.DATABASE_URL && process.env.E2E_RUN_ID)
    await dropDatabase(process.env.DATABASE_URL);
  if (process.env.E2E_STARTED_POSTGRES === 'true') await stopEmbeddedPostgres();
  if (process.env.E2E_STARTED_KAFKA === 'true') stopKafka();
}
