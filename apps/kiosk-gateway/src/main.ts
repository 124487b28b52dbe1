import { createHttpApp, loadConfig } from '@gw/platform';
import { runMain } from '@gw/runtime';
import { KIOSK_GATEWAY, KioskEnv } from './kiosk.env';
import { KioskGatewayModule } from './kiosk-gateway.module';

export async function bootstrap(env: KioskEnv) {
  const app = await createHttpApp(KioskGatewayModule.forRoot(env), {
    name: KIOSK_GATEWAY,
    description: 'Signed JSON batches of meter readings from reading kiosks (contract 7.1)',
    logLevel: env.LOG_LEVEL,
    managementToken: env.MANAGEMENT_TOKEN,
    edge: { env },
    // The signature covers the raw body, so RawBodyMiddleware reads it instead of a JSON parser.
    bodyParsers: {},
  });
  // Kiosk answers are never revalidated: hashing every 202 body for an ETag is wasted work.
  app.getHttpAdapter().getInstance().set('etag', false);
  await app.listen(env.KIOSK_GATEWAY_PORT, '0.0.0.0');
  return app;
}

/** Starts the app from the environment; a failure to boot is one JSON line and exit code 1. */
export const main = () => runMain(KIOSK_GATEWAY, () => bootstrap(loadConfig(KioskEnv)));

if (require.main === module) main();
