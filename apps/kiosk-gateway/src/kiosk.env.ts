import { BaseEnv } from '@gw/platform';
import { IsInt, Max, Min } from 'class-validator';

export class KioskEnv extends BaseEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  KIOSK_GATEWAY_PORT: number = 3001;
}
