import { type DynamicModule, Global, Module } from '@nestjs/common';
import {
  AuditLogRepository,
  PersistenceModule,
  RateLimiter,
  RevokedSessionRepository,
} from '@gw/persistence';
import type { BackofficeEnv } from '../backoffice.env';
import { OperatorRepository } from '../persistence/operator.repository';
import { AuthController } from './auth.controller';
import { LOGIN_BACKOFF, LOGIN_RUN_KEY, LoginUseCase, loginRunKey } from './login.use-case';
import { LogoutUseCase } from './logout.use-case';
import {
  operatorTokenKeys,
  OperatorTokens,
  TOKEN_SETTINGS,
  type TokenSettings,
} from './operator-tokens';

/**
 * Login and operator tokens. Global, so every feature module can guard its routes with
 * `@Roles(...)` without importing it.
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(env: BackofficeEnv): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        PersistenceModule.forFeature([
          AuditLogRepository,
          OperatorRepository,
          RateLimiter,
          RevokedSessionRepository,
        ]),
      ],
      controllers: [AuthController],
      providers: [
        {
          provide: LOGIN_BACKOFF,
          useValue: {
            freeAttempts: env.BACKOFFICE_LOGIN_FREE_ATTEMPTS,
            baseDelayMs: env.BACKOFFICE_LOGIN_BASE_DELAY_SECONDS * 1000,
            maxDelayMs: env.BACKOFFICE_LOGIN_MAX_DELAY_SECONDS * 1000,
            windowMs: env.BACKOFFICE_LOGIN_WINDOW_MINUTES * 60 * 1000,
          },
        },
        { provide: LOGIN_RUN_KEY, useFactory: () => loginRunKey(env.BACKOFFICE_TOKEN_SECRET) },
        LoginUseCase,
        LogoutUseCase,
        OperatorTokens,
        { provide: TOKEN_SETTINGS, useFactory: () => tokenSettings(env) },
      ],
      exports: [LoginUseCase, LogoutUseCase, OperatorTokens],
    };
  }
}

function tokenSettings(env: BackofficeEnv): TokenSettings {
  return {
    keys: operatorTokenKeys(env.BACKOFFICE_TOKEN_SECRET, env.BACKOFFICE_TOKEN_SECRET_PREVIOUS),
    ttlSeconds: env.BACKOFFICE_TOKEN_TTL_SECONDS,
  };
}
