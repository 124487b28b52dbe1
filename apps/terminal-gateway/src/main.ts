import { createHttpApp, loadConfig } from '@gw/platform';
import { refuseInOsmp } from './osmp/osmp-exception.filter';
import { runMain } from '@gw/runtime';
import { TerminalEnv } from './terminal.env';
import { TerminalGatewayModule } from './terminal-gateway.module';

export async function bootstrap(env: TerminalEnv) {
  const app = await createHttpApp(TerminalGatewayModule.forRoot(env), {
    name: 'terminal-gateway',
    description: 'Payment terminals, OSMP-style check/pay with meter readings (contract 7.2)',
    logLevel: env.LOG_LEVEL,
    managementToken: env.MANAGEMENT_TOKEN,
    edge: { env, refuse: refuseInOsmp },
    // Form bodies only, parsed flat (`a[b]=c` stays a name): the protocol knows no JSON or nesting.
    bodyParsers: { urlencoded: { extended: false, limit: '32kb' } },
  });
  await app.listen(env.TERMINAL_GATEWAY_PORT, '0.0.0.0');
  return app;
}

/** Starts the app from the environment; a failure to boot is one JSON line and exit code 1. */
export const main = () => runMain('terminal-gateway', () => bootstrap(loadConfig(TerminalEnv)));

if (require.main === module) main();
