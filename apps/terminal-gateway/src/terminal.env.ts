import { BaseEnv } from '@gw/platform';
import { IsInt, Max, Min } from 'class-validator';

export class TerminalEnv extends BaseEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  TERMINAL_GATEWAY_PORT: number = 3002;
}
