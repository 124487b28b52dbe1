import { BaseEnv } from '@gw/platform';
import { IsInt, Max, Min } from 'class-validator';

export class BackofficeEnv extends BaseEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  BACKOFFICE_API_PORT: number = 3005;
}
