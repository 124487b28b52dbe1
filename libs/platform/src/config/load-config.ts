import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { withDevelopmentSecrets } from './secret-setting';

/** Raised at boot when the environment does not describe a runnable app. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** How a number setting is written. */
const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * The number settings of `schema` (a number default, or a number type without a default) whose
 * text implicit conversion would turn into a number it does not read as: an empty value or blanks
 * into 0 (a timeout or a threshold off), `0x10` into 16, `1e3` into 1000. Text that is no number
 * at all is left to the validators.
 */
function misreadNumbers(schema: new () => object, env: NodeJS.ProcessEnv): string[] {
  const defaults = new schema() as Record<string, unknown>;
  const isNumber = (name: string) =>
    typeof defaults[name] === 'number' ||
    Reflect.getMetadata('design:type', schema.prototype, name) === Number;
  return Object.keys(env).filter((name) => {
    const raw: unknown = env[name];
    return (
      isNumber(name) &&
      typeof raw === 'string' &&
      !NUMBER_TEXT.test(raw) &&
      Number.isFinite(Number(raw))
    );
  });
}

/**
 * Validates the environment once, at boot, into a typed object. Nothing else in the codebase
 * reads `process.env`. Messages name the variable, never its value, so secrets stay out of logs.
 */
export function loadConfig<T extends object>(
  schema: new () => T,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const given = withDevelopmentSecrets(schema, env);
  const config = plainToInstance(
    schema,
    { ...given },
    { enableImplicitConversion: true, exposeDefaultValues: true },
  );
  const misread = misreadNumbers(schema, given);
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false }).filter(
    (e) => !misread.includes(e.property),
  );
  const problems = [
    ...misread.map((name) => `${name}: ${name} must be a number written in digits`),
    ...errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`)),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
