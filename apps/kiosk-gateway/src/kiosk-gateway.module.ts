import {
  type DynamicModule,
  type MiddlewareConsumer,
  Module,
  type NestModule,
} from '@nestjs/common';
import { SecretBox, TokenBuckets } from '@gw/platform';
import { PersistenceModule, ReadingRepository } from '@gw/persistence';
import { InfrastructureModule } from '@gw/runtime';
import { KIOSK_SECRET_BOX, KioskAuthenticator } from './auth/kiosk-authenticator';
import { KioskRateLimitGuard } from './auth/kiosk-rate-limit.guard';
import { KioskSignatureGuard } from './auth/kiosk-signature.guard';
import { NoncePurger } from './auth/nonce-purger';
import { KioskScreenMiddleware } from './http/kiosk-screen.middleware';
import { RawBodyMiddleware } from './http/raw-body.middleware';
import { KioskController } from './kiosk.controller';
import { KIOSK_ENV, KIOSK_GATEWAY, type KioskEnv } from './kiosk.env';
import { KioskRepository } from './persistence/kiosk.repository';
import { KioskBatchWorkers } from './readings/kiosk-batch-workers';
import { SubmitKioskBatchUseCase } from './readings/submit-kiosk-batch.use-case';
import { FindKioskSubmissionUseCase } from './submissions/find-kiosk-submission.use-case';

@Module({})
export class KioskGatewayModule implements NestModule {
  static forRoot(env: KioskEnv): DynamicModule {
    return {
      module: KioskGatewayModule,
      imports: [
        InfrastructureModule.forRoot({
          env,
          clientId: KIOSK_GATEWAY,
          poolSize: 5,
          // The gateway writes only nonces. One lost in a database crash lets that one signed
          // request through once more, and its submission ids are stored at most once anyway.
          connection: { asynchronousCommit: true },
        }),
        PersistenceModule.forFeature([KioskRepository, ReadingRepository]),
      ],
      controllers: [KioskController],
      providers: [
        { provide: KIOSK_ENV, useValue: env },
        {
          provide: KIOSK_SECRET_BOX,
          useValue: SecretBox.of(env.KIOSK_SECRET_KEY, env.KIOSK_SECRET_KEY_PREVIOUS),
        },
        {
          provide: TokenBuckets,
          useValue: new TokenBuckets(env.KIOSK_RATE_LIMIT_PER_SECOND, env.KIOSK_RATE_LIMIT_BURST),
        },
        FindKioskSubmissionUseCase,
        KioskBatchWorkers,
        KioskAuthenticator,
        KioskRateLimitGuard,
        KioskSignatureGuard,
        NoncePurger,
        SubmitKioskBatchUseCase,
      ],
      // The database's outage check, for the HTTP exception filter around this module.
      exports: [InfrastructureModule],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Headers and the kiosk first, so a request that cannot succeed is refused before its body.
    consumer.apply(KioskScreenMiddleware, RawBodyMiddleware).forRoutes(KioskController);
  }
}
