import { createHttpApp, loadConfig } from '@gw/platform';
import { runMain } from '@gw/runtime';
import { BackofficeEnv } from './backoffice.env';
import { BackofficeApiModule } from './backoffice-api.module';

export async function bootstrap(env: BackofficeEnv) {
  const app = await createHttpApp(BackofficeApiModule.forRoot(env), {
    name: 'backoffice-api',
    description:
      'Back office for operators: submissions, meters, review queue, statistics (contract 6)',
    logLevel: env.LOG_LEVEL,
  });
  await app.listen(env.BACKOFFICE_API_PORT, '0.0.0.0');
  return app;
}

if (require.main === module) runMain('backoffice-api', () => bootstrap(loadConfig(BackofficeEnv)));
