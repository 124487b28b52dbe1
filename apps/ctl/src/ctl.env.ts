import { BaseEnv, IsSecretBoxKey } from '@gw/platform';

export class CtlEnv extends BaseEnv {
  /** Seals kiosk secrets (`kiosk add`); the kiosk-gateway opens them with the same key. */
  @IsSecretBoxKey()
  KIOSK_SECRET_KEY?: string;
}
