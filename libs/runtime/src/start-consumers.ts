import { type INestApplication, Logger } from '@nestjs/common';
import { HttpDrain } from '@gw/platform';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 15_000;

/**
 * Starts the app's Kafka consumers once its HTTP server is up, so health probes answer (live, not
 * ready) while the broker is out of reach; a start that fails is tried again with backoff until it
 * succeeds or the app shuts down, instead of ending the process.
 */
export async function startConsumers(app: INestApplication): Promise<void> {
  const logger = new Logger('Consumers');
  const drain = app.get(HttpDrain, { strict: false });
  for (let attempt = 1, delay = FIRST_RETRY_MS; drain.accepting; attempt += 1) {
    try {
      await app.startAllMicroservices();
      return;
    } catch (error) {
      logger.warn({
        msg: 'consumers could not start; retrying',
        attempt,
        retryInMs: delay,
        error: (error as Error).message,
      });
      await new Promise((done) => setTimeout(done, delay));
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    }
  }
}
