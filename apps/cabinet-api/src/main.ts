import { createHttpApp, loadConfig } from '@gw/platform';
import { runMain } from '@gw/runtime';
import { CabinetApiModule } from './cabinet-api.module';
import { CabinetEnv } from './cabinet.env';
import { type Clock, SystemClock } from './clock';
import { refuseAsPage } from './web/web-exception.filter';

export async function bootstrap(env: CabinetEnv, clock: Clock = new SystemClock()) {
  const app = await createHttpApp(CabinetApiModule.forRoot(env, clock), {
    name: 'cabinet-api',
    description:
      'Web personal cabinet of residents: registration by payment document, e-mail codes, meters, readings and their outcomes (contract 7.3)',
    logLevel: env.LOG_LEVEL,
    managementToken: env.MANAGEMENT_TOKEN,
    edge: { env, refuse: refuseAsPage(env.CABINET_COOKIE_SECURE) },
  });
  if (env.CABINET_CORS_ORIGINS.length > 0)
    app.enableCors({ origin: env.CABINET_CORS_ORIGINS, exposedHeaders: ['Retry-After'] });
  await app.listen(env.CABINET_API_PORT, '0.0.0.0');
  return app;
}

/** Starts the app from the environment; a failure to boot is one JSON line and exit code 1. */
export const main = () => runMain('cabinet-api', () => bootstrap(loadConfig(CabinetEnv)));

if (require.main === module) main();
