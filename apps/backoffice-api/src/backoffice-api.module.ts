import { type DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { InfrastructureModule } from '@gw/runtime';
import { AuthModule } from './auth/auth.module';
import type { BackofficeEnv } from './backoffice.env';
import { MetersModule } from './meters/meters.module';
import { SubmissionsModule } from './submissions/submissions.module';

@Module({})
export class BackofficeApiModule {
  static forRoot(env: BackofficeEnv): DynamicModule {
    return {
      module: BackofficeApiModule,
      imports: [
        InfrastructureModule.forRoot({ env, clientId: 'backoffice-api', poolSize: 5 }),
        AuthModule.forRoot(env),
        MetersModule,
        SubmissionsModule,
      ],
      providers: [
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            transform: true,
            validationError: { target: false, value: false },
          }),
        },
      ],
    };
  }
}
