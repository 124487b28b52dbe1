import { BaseEnv } from '@gw/platform';

export class CtlEnv extends BaseEnv {}
