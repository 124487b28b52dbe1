import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { withDevelopmentSecrets } from './secret-setting';

/** Raised at boot when the environment does not describe a runnable app. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Validates the environment once, at boot, into a typed object. Nothing else in the codebase
 * reads `process.env`. Messages name the variable, never its value, so secrets stay out of logs.
 */
export function loadConfig<T extends object>(
  schema: new () => T,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const config = plainToInstance(
    schema,
    { ...withDevelopmentSecrets(schema, env) },
    { enableImplicitConversion: true, exposeDefaultValues: true },
  );
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`)),
    );
  }
  return config;
}
