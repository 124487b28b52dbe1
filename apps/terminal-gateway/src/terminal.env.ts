import { BaseEnv, PortEnv } from '@gw/platform';

export class TerminalEnv extends BaseEnv {
  @PortEnv()
  TERMINAL_GATEWAY_PORT: number = 3002;
}
