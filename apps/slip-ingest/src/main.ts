import type { Server } from 'node:http';
import { createHttpApp, loadConfig } from '@gw/platform';
import { runMain } from '@gw/runtime';
import { SlipIngestEnv } from './slip-ingest.env';
import { SlipIngestModule } from './slip-ingest.module';

export async function bootstrap(env: SlipIngestEnv) {
  const app = await createHttpApp(SlipIngestModule.forRoot(env), {
    name: 'slip-ingest',
    description: 'Batch files of scanned tear-off slips from the scanning centre (contract 7.4)',
    logLevel: env.LOG_LEVEL,
    managementToken: env.MANAGEMENT_TOKEN,
    edge: { env },
    // Batch files are streamed from the request, never parsed into memory.
    bodyParsers: {},
  });
  (app.getHttpServer() as Server).requestTimeout = env.SLIP_UPLOAD_TIMEOUT_SECONDS * 1000;
  await app.listen(env.SLIP_INGEST_PORT, '0.0.0.0');
  return app;
}

/** Starts the app from the environment; a failure to boot is one JSON line and exit code 1. */
export const main = () => runMain('slip-ingest', () => bootstrap(loadConfig(SlipIngestEnv)));

if (require.main === module) main();
