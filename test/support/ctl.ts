import { loadConfig } from '@gw/platform';
import { CtlEnv } from '../../apps/ctl/src/ctl.env';
import { buildCli } from '../../apps/ctl/src/main';

/**
 * Runs `ctl` in this process, as `npm run ctl -- …` would, and returns the JSON it printed. A
 * failing command rejects with its error.
 */
export function runCtl<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  return runCtlWith<T>(process.env, ...args);
}

/** `runCtl` with another environment (another broker, other credentials). */
export async function runCtlWith<T = Record<string, unknown>>(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<T> {
  const printed: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    await buildCli(loadConfig(CtlEnv, env)).exitOverride().parseAsync(args, { from: 'user' });
  } finally {
    stdout.mockRestore();
  }
  // Log lines of the libraries (kafkajs' warnings) may be written to stdout too: the command's own
  // output is the one JSON document.
  return JSON.parse(printed.filter((chunk) => /^[[{]/.test(chunk)).join('')) as T;
}
