import './register-paths';
import { rmSync } from 'node:fs';
import { dropDatabase, stopEmbeddedPostgres, stopKafka } from '../../scripts/local-env';
import { saltClaims } from '../support/run-salt';

/** Drops a run's database (when it has one) and stops only what its setup started. */
export async function releaseRun(
  databaseUrl: string | undefined,
  started: { postgres: boolean; kafka: boolean },
): Promise<void> {
  if (databaseUrl) await dropDatabase(databaseUrl);
  if (started.postgres) await stopEmbeddedPostgres();
  if (started.kafka) stopKafka();
}

/** Drops this run's database and stops only what the setup started. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env.E2E_RUN_ID;
  if (runId) rmSync(saltClaims(runId), { recursive: true, force: true });
  await releaseRun(runId && process.env.DATABASE_URL, {
    postgres: process.env.E2E_STARTED_POSTGRES === 'true',
    kafka: process.env.E2E_STARTED_KAFKA === 'true',
  });
}
