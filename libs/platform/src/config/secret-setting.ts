import { applyDecorators } from '@nestjs/common';
import { ValidateBy, ValidateIf } from 'class-validator';

/**
 * Development values of the secrets, published with the code: anyone can sign or open with them,
 * so they are refused outside development mode wherever a secret is expected.
 */
export const DEVELOPMENT_SECRETS = {
  /** The hex of "dev-only-key-never-in-production". */
  KIOSK_SECRET_KEY: '6465762d6f6e6c792d6b65792d6e657665722d696e2d70726f64756374696f6e',
  CABINET_SECRET: 'development-cabinet-secret-never-in-production',
  BACKOFFICE_TOKEN_SECRET: 'development-backoffice-token-secret-never-in-production',
} as const;

const PUBLISHED = new Set<string>(Object.values(DEVELOPMENT_SECRETS));

/** Development values of the SecretSetting fields, per class prototype. */
const DEVELOPMENT_VALUES = new WeakMap<object, Map<string, string>>();

/**
 * `GATEWAY_MODE=development` (BaseEnv; set by `npm start` and the test setup) lets an app run
 * without its secrets, on the published development values above. In any other mode, the default
 * included, an app refuses to boot without each secret it needs, and refuses the published values.
 */
const inDevelopment = (env: unknown) =>
  (env as Record<string, unknown>).GATEWAY_MODE === 'development';

export interface SecretSettingOptions {
  /** What the value must look like, said in `format` (e.g. "64 hex digits"). */
  pattern: RegExp;
  format: string;
  /** Whether a value in other letter case is the same secret (hex keys): published ones too. */
  anyCase?: boolean;
  /** Used in development mode when the variable is unset. */
  development?: string;
  /**
   * Whether the app refuses to boot without it outside development mode. Optional secrets are the
   * previous key of a rotation, and keys only some commands need (they check for it themselves).
   */
  required: boolean;
}

/**
 * An env field holding a secret. Unset: the development value in development mode, otherwise
 * the app refuses to boot naming the variable when the secret is required. Set: it must have the
 * format, and must not be a published development value outside development mode. Messages name
 * the variable, never its value.
 */
export function SecretSetting(options: SecretSettingOptions): PropertyDecorator {
  return applyDecorators(
    (target: object, property: string | symbol) => {
      if (options.development === undefined) return;
      const own = DEVELOPMENT_VALUES.get(target) ?? new Map<string, string>();
      DEVELOPMENT_VALUES.set(target, own.set(String(property), options.development));
    },
    ValidateIf((_env, value) => options.required || (value !== undefined && value !== '')),
    ValidateBy({
      name: 'secretSetting',
      validator: {
        validate: (value, args) =>
          typeof value === 'string' &&
          options.pattern.test(value) &&
          (!PUBLISHED.has(options.anyCase ? value.toLowerCase() : value) ||
            inDevelopment(args?.object)),
        defaultMessage: (args) => secretProblem(args?.property ?? '', args?.value, options),
      },
    }),
  );
}

/**
 * `env` with the development value of each unset secret of `schema` when it asks for development
 * mode; `env` itself otherwise. `loadConfig` reads the environment through it.
 */
export function withDevelopmentSecrets(
  schema: new () => object,
  env: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  if (!inDevelopment(env)) return env;
  const filled = { ...env };
  for (let proto = schema.prototype; proto; proto = Object.getPrototypeOf(proto))
    for (const [name, value] of DEVELOPMENT_VALUES.get(proto) ?? [])
      if (filled[name] === undefined || filled[name] === '') filled[name] = value;
  return filled;
}

function secretProblem(name: string, value: unknown, options: SecretSettingOptions): string {
  if (value === undefined || value === '')
    return `${name} is not set: it is required outside development mode (GATEWAY_MODE=development)`;
  if (typeof value !== 'string' || !options.pattern.test(value))
    return `${name} must be ${options.format}`;
  return `${name} is a development key published with the code: set a key of your own (npm run ctl -- keys generate)`;
}
