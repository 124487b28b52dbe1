import { type DynamicModule, Module } from '@nestjs/common';
import { InfrastructureModule } from '@gw/runtime';
import type { KioskEnv } from './kiosk.env';

@Module({})
export class KioskGatewayModule {
  static forRoot(env: KioskEnv): DynamicModule {
    return {
      module: KioskGatewayModule,
      imports: [InfrastructureModule.forRoot({ env, clientId: 'kiosk-gateway', poolSize: 5 })],
    };
  }
}
