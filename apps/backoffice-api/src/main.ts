import { createHttpApp, loadConfig } from '@gw/platform';
import { runMain } from '@gw/runtime';
import { BackofficeEnv } from './backoffice.env';
import { BackofficeApiModule } from './backoffice-api.module';
import { BackofficeExceptionFilter } from './http/backoffice-exception.filter';
import { refuseAsPage } from './web/web-exception.filter';

export async function bootstrap(env: BackofficeEnv) {
  const app = await createHttpApp(BackofficeApiModule.forRoot(env), {
    name: 'backoffice-api',
    description:
      'Back office for operators: submissions, meters, review queue, statistics (contract 6). ' +
      'Log in at POST /v1/auth/login and send the token as `Authorization: Bearer <token>`.',
    logLevel: env.LOG_LEVEL,
    managementToken: env.MANAGEMENT_TOKEN,
    edge: { env, refuse: refuseAsPage },
  });
  // Registered after the platform's catch-all filter, so Nest tries it first.
  app.useGlobalFilters(new BackofficeExceptionFilter());
  await app.listen(env.BACKOFFICE_API_PORT, '0.0.0.0');
  return app;
}

/** Starts the app from the environment; a failure to boot is one JSON line and exit code 1. */
export const main = () => runMain('backoffice-api', () => bootstrap(loadConfig(BackofficeEnv)));

if (require.main === module) main();
