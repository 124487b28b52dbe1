import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the test files of run `run` claim their salts. */
export function saltClaims(run: string): string {
  return join(tmpdir(), `meter-gateway-test-salts-${run}`);
}

/**
 * A salt from 1000 to 9999 that no other test file of this run has. Jest loads the factories
 * afresh for every test file and runs them all in one process, so random salts alone would repeat
 * between two of a run's files about one run in seven. Each file claims its salt by creating a
 * directory named after it; outside a test run (`E2E_RUN_ID` unset) the salt is just random.
 */
export function claimRunSalt(run = process.env.E2E_RUN_ID): number {
  const start = Math.floor(Math.random() * 9000);
  if (!run) return start + 1000;
  const claims = saltClaims(run);
  mkdirSync(claims, { recursive: true });
  for (let i = 0; i < 9000; i += 1) {
    const salt = ((start + i) % 9000) + 1000;
    try {
      mkdirSync(join(claims, String(salt)));
      return salt;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`every salt of test run ${run} is taken`);
}
