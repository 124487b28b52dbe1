import { readFileSync } from 'node:fs';
import { stopEmbeddedPostgres, stopKafka } from '../../scripts/local-env';
import { TEST_ENV_FILE } from './paths';

/** Stops only what the setup started; services that were already running stay up. */
export default async function globalTeardown(): Promise<void> {
  const env = JSON.parse(readFileSync(TEST_ENV_FILE, 'utf8'));
  if (env.startedPostgres) await stopEmbeddedPostgres();
  if (env.startedKafka) stopKafka();
}
