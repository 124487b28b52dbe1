import type { INestApplication } from '@nestjs/common';
import { HttpDrain } from '@gw/platform';

/**
 * Starts the app's Kafka consumers once its HTTP server is up, so health probes answer (live, not
 * ready) while the broker is out of reach; unless the app is already shutting down. The transport
 * never fails its start: it keeps retrying the broker itself, with the consumer's backoff.
 */
export async function startConsumers(app: INestApplication): Promise<void> {
  if (app.get(HttpDrain, { strict: false }).accepting) await app.startAllMicroservices();
}
