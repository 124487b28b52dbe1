import { type DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { InfrastructureModule } from '@gw/runtime';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BackofficeCoreModule } from './backoffice-core.module';
import type { BackofficeEnv } from './backoffice.env';
import { EstimatesModule } from './estimates/estimates.module';
import { MetersModule } from './meters/meters.module';
import { ReviewModule } from './review/review.module';
import { SlipImagesModule } from './slip-images/slip-images.module';
import { StatsModule } from './stats/stats.module';
import { SubmissionsModule } from './submissions/submissions.module';
import { VerificationsModule } from './verifications/verifications.module';
import { WebModule } from './web/web.module';

@Module({})
export class BackofficeApiModule {
  static forRoot(env: BackofficeEnv): DynamicModule {
    return {
      module: BackofficeApiModule,
      imports: [
        // Decisions hold a connection while the outbox relay may hold another.
        InfrastructureModule.forRoot({ env, clientId: 'backoffice-api', poolSize: 10 }),
        AuthModule.forRoot(env),
        BackofficeCoreModule.forRoot(env),
        AuditModule,
        EstimatesModule,
        MetersModule,
        ReviewModule,
        SlipImagesModule,
        StatsModule,
        SubmissionsModule,
        VerificationsModule,
        WebModule,
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
      // The database's outage check and the pages' filter, for the HTTP exception filter around
      // this module.
      exports: [InfrastructureModule, WebModule],
    };
  }
}
