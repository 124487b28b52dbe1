import { BillingJobsEnv } from '@gw/runtime';
import { ConfigError, DEVELOPMENT_SECRETS, SecretBox, SecretBoxKey } from '@gw/platform';

/** The reading rules' and the billing jobs' settings come along: `estimates run` needs the windows. */
export class CtlEnv extends BillingJobsEnv {
  /**
   * Seals kiosk secrets (`kiosk add`, `keys reseal-kiosk-secrets`); the kiosk-gateway opens them
   * with the same key. Only the kiosk commands need it: they refuse to run without it.
   */
  @SecretBoxKey({ development: DEVELOPMENT_SECRETS.KIOSK_SECRET_KEY, required: false })
  KIOSK_SECRET_KEY?: string;

  /** During a rotation, the key before KIOSK_SECRET_KEY: `keys reseal-kiosk-secrets` opens with it. */
  @SecretBoxKey({ required: false })
  KIOSK_SECRET_KEY_PREVIOUS?: string;
}

/** The box kiosk secrets are sealed in, for the commands that need it. */
export function kioskSecretBox(env: CtlEnv): SecretBox {
  if (env.KIOSK_SECRET_KEY === undefined)
    throw new ConfigError([
      'KIOSK_SECRET_KEY is not set: the kiosk commands need the key the kiosk-gateway opens kiosk secrets with',
    ]);
  return SecretBox.of(env.KIOSK_SECRET_KEY, env.KIOSK_SECRET_KEY_PREVIOUS);
}
