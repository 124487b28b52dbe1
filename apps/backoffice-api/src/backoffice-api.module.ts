import { type DynamicModule, Module } from '@nestjs/common';
import { InfrastructureModule } from '@gw/runtime';
import type { BackofficeEnv } from './backoffice.env';

@Module({})
export class BackofficeApiModule {
  static forRoot(env: BackofficeEnv): DynamicModule {
    return {
      module: BackofficeApiModule,
      imports: [InfrastructureModule.forRoot({ env, clientId: 'backoffice-api', poolSize: 5 })],
    };
  }
}
