import type { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@gw/platform';
import { bootstrap } from '../../../apps/terminal-gateway/src/main';
import { TerminalEnv } from '../../../apps/terminal-gateway/src/terminal.env';

const ROOT = resolve(__dirname, '..', '..', '..');

/** The real terminal-gateway, in this process, on a free port. */
export function startTerminalGateway(env: Record<string, string> = {}): Promise<INestApplication> {
  return bootstrap(
    loadConfig(TerminalEnv, {
      ...process.env,
      TERMINAL_GATEWAY_PORT: '0',
      LOG_LEVEL: 'error',
      ...env,
    }),
  );
}

export interface TerminalCredentials {
  terminalId: string;
  login: string;
  password: string;
}

/** Where the tests call from: every terminal needs an allow-list or an explicit `--allow-any`. */
export const LOOPBACK = ['127.0.0.1', '::1'];

/**
 * `npm run ctl -- terminal add <id> --allow-ip …` (or `--allow-any` for `'any'`), the operators'
 * real command line.
 */
export async function addTerminal(
  terminalId: string,
  allowIps: string[] | 'any' = LOOPBACK,
): Promise<TerminalCredentials> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      'scripts/run-ts.js',
      'apps/ctl/src/main.ts',
      'terminal',
      'add',
      terminalId,
      ...(allowIps === 'any' ? ['--allow-any'] : allowIps.flatMap((ip) => ['--allow-ip', ip])),
    ],
    { cwd: ROOT, env: process.env },
  );
  return JSON.parse(stdout) as TerminalCredentials;
}

/** A local port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}
