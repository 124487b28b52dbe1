import { ConfigError, DEVELOPMENT_SECRETS, SecretBox, SecretBoxKey } from '@gw/platform';
import { BillingJobsEnv, WithArshin } from '@gw/runtime';
import { Matches } from 'class-validator';

/**
 * The reading rules', the billing jobs' and Arshin's settings come along: `estimates run` needs
 * the windows, and `verifications sync` calls Arshin and revalidates readings.
 */
export class CtlEnv extends WithArshin(BillingJobsEnv) {
  /**
   * Seals kiosk secrets (`kiosk add`, `keys reseal-kiosk-secrets`); the kiosk-gateway opens them
   * with the same key. Only the kiosk commands need it: they refuse to run without it.
   */
  @SecretBoxKey({ development: DEVELOPMENT_SECRETS.KIOSK_SECRET_KEY, required: false })
  KIOSK_SECRET_KEY?: string;

  /** During a rotation, the key before KIOSK_SECRET_KEY: `keys reseal-kiosk-secrets` opens with it. */
  @SecretBoxKey({ required: false })
  KIOSK_SECRET_KEY_PREVIOUS?: string;

  /** The `x-decided-by` header of the outcomes `verifications sync` emits for revalidated readings. */
  @Matches(/^[\x21-\x7e]{1,128}$/, {
    message: 'CTL_DECIDED_BY must be 1 to 128 printable characters',
  })
  CTL_DECIDED_BY: string = 'ctl';
}

/** The box kiosk secrets are sealed in, for the commands that need it. */
export function kioskSecretBox(env: CtlEnv): SecretBox {
  if (env.KIOSK_SECRET_KEY === undefined)
    throw new ConfigError([
      'KIOSK_SECRET_KEY is not set: the kiosk commands need the key the kiosk-gateway opens kiosk secrets with',
    ]);
  return SecretBox.of(env.KIOSK_SECRET_KEY, env.KIOSK_SECRET_KEY_PREVIOUS);
}
