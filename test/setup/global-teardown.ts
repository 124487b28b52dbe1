import './register-paths';
import { rmSync } from 'node:fs';
import { dropDatabase, stopEmbeddedPostgres, stopKafka } from '../../scripts/local-env';
import { saltClaims } from '../support/run-salt';

/** Drops this run's database and stops only what the setup started. */
export default async function globalTeardown(): Promise<void> {
  if (process.env.E2E_RUN_ID)
    rmSync(saltClaims(process.env.E2E_RUN_ID), { recursive: true, force: true });
  if (process.env.DATABASE_URL && process.env.E2E_RUN_ID)
    await dropDatabase(process.env.DATABASE_URL);
  if (process.env.E2E_STARTED_POSTGRES === 'true') await stopEmbeddedPostgres();
  if (process.env.E2E_STARTED_KAFKA === 'true') stopKafka();
}
