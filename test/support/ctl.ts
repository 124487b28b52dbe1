import { loadConfig } from '@gw/platform';
import type { Command } from 'commander';
import { CtlEnv } from '../../apps/ctl/src/ctl.env';
import { buildCli } from '../../apps/ctl/src/main';

/** Throws commander's errors instead of exiting, in every subcommand: they inherit it only when made after it. */
function throwingErrors(command: Command): Command {
  command.exitOverride();
  for (const sub of command.commands) throwingErrors(sub);
  return command;
}

/**
 * Runs `ctl` in this process, as `npm run ctl -- …` would, and returns the JSON it printed. A
 * failing command rejects with its error.
 */
export function runCtl<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  return runCtlIn<T>(process.env, ...args);
}

/** `runCtl` with another environment: other keys, another broker or other credentials. */
export async function runCtlIn<T = Record<string, unknown>>(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<T> {
  return JSON.parse(await ctlOutput(env, ...args)) as T;
}

/** What `ctl` printed on stdout as it wrote it, before any parsing: its one JSON document. */
export async function ctlOutput(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  const printed: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    await throwingErrors(buildCli(loadConfig(CtlEnv, env))).parseAsync(args, { from: 'user' });
  } finally {
    stdout.mockRestore();
  }
  // Log lines (kafkajs' warnings, apps running in this process) may be written to stdout too, one
  // line each: the command's own output is the one document it prints indented over several lines.
  return printed.filter((chunk) => /^[[{]\n/.test(chunk)).join('');
}
