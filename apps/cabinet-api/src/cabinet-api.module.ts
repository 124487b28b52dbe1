import { type DynamicModule, Module } from '@nestjs/common';
import {
  MeterRepository,
  PersistenceModule,
  RateLimiter,
  ReadingRepository,
  RevokedSessionRepository,
  TransactionRunner,
  VerificationReminderRepository,
} from '@gw/persistence';
import { WEB_PAGES_FILTER } from '@gw/platform';
import { InfrastructureModule, readingPolicy } from '@gw/runtime';
import { AccountController } from './accounts/account.controller';
import { AccountLinkNotices } from './accounts/account-link-notices.service';
import { LinkAccountUseCase } from './accounts/link-account.use-case';
import { ListAccountLinksUseCase } from './accounts/list-account-links.use-case';
import { ListAccountMetersUseCase, WINDOW_POLICY } from './accounts/list-account-meters.use-case';
import { ListLinkedAccountsUseCase } from './accounts/list-linked-accounts.use-case';
import { RevokeAccountLinkUseCase } from './accounts/revoke-account-link.use-case';
import { CabinetKeys } from './auth/cabinet-keys';
import { LinkedAccountGuard } from './auth/linked-account.guard';
import { ResidentAuthGuard } from './auth/resident-auth.guard';
import { SessionTokens } from './auth/session-tokens.service';
import { CabinetEnv } from './cabinet.env';
import { Clock, SystemClock } from './clock';
import { CabinetThrottle } from './codes/cabinet-throttle.service';
import { OneTimeCodes } from './codes/one-time-codes.service';
import { CodeMailer } from './mail/code-mailer';
import { ChargeRepository } from './persistence/charge.repository';
import { OneTimeCodeRepository } from './persistence/one-time-code.repository';
import { ResidentRepository } from './persistence/resident.repository';
import { SubmissionKeyRepository } from './persistence/submission-key.repository';
import { ListReadingHistoryUseCase } from './readings/list-reading-history.use-case';
import { ReadingController } from './readings/reading.controller';
import { SubmitReadingsUseCase } from './readings/submit-readings.use-case';
import { ConfirmRegistrationUseCase } from './registration/confirm-registration.use-case';
import { PaymentDocumentCheck } from './registration/payment-document-check.service';
import { RegisterResidentUseCase } from './registration/register-resident.use-case';
import { RegistrationController } from './registration/registration.controller';
import { CabinetRetention } from './retention/cabinet-retention.service';
import { ReminderMails } from './reminders/reminder-mails.service';
import { ReminderMailRepository } from './persistence/reminder-mail.repository';
import { ConfirmSignInUseCase } from './sessions/confirm-sign-in.use-case';
import { RequestSignInCodeUseCase } from './sessions/request-sign-in-code.use-case';
import { SessionController } from './sessions/session.controller';
import { CabinetPagesQuery } from './web/cabinet-pages.query';
import { CabinetWebController } from './web/cabinet-web.controller';
import { PublicFormGuard, ResidentWebGuard } from './web/resident-web.guard';
import { WebExceptionFilter } from './web/web-exception.filter';

@Module({})
export class CabinetApiModule {
  static forRoot(env: CabinetEnv, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: CabinetApiModule,
      imports: [
        InfrastructureModule.forRoot({ env, clientId: 'cabinet-api', poolSize: 5 }),
        PersistenceModule.forFeature([
          ChargeRepository,
          MeterRepository,
          OneTimeCodeRepository,
          RateLimiter,
          ReadingRepository,
          ResidentRepository,
          ReminderMailRepository,
          RevokedSessionRepository,
          SubmissionKeyRepository,
          TransactionRunner,
          VerificationReminderRepository,
        ]),
      ],
      controllers: [
        AccountController,
        ReadingController,
        RegistrationController,
        SessionController,
        // The residents' pages, over the same use cases.
        CabinetWebController,
      ],
      providers: [
        { provide: CabinetEnv, useValue: env },
        {
          provide: CabinetKeys,
          useFactory: () => CabinetKeys.from(env.CABINET_SECRET, env.CABINET_SECRET_PREVIOUS),
        },
        { provide: Clock, useValue: clock },
        { provide: WINDOW_POLICY, useValue: readingPolicy(env).window },
        AccountLinkNotices,
        CabinetPagesQuery,
        CabinetRetention,
        CabinetThrottle,
        CodeMailer,
        ConfirmRegistrationUseCase,
        ConfirmSignInUseCase,
        LinkAccountUseCase,
        LinkedAccountGuard,
        ListAccountLinksUseCase,
        ListAccountMetersUseCase,
        ListLinkedAccountsUseCase,
        ListReadingHistoryUseCase,
        OneTimeCodes,
        PaymentDocumentCheck,
        PublicFormGuard,
        RegisterResidentUseCase,
        ReminderMails,
        RequestSignInCodeUseCase,
        ResidentAuthGuard,
        ResidentWebGuard,
        RevokeAccountLinkUseCase,
        SessionTokens,
        SubmitReadingsUseCase,
        WebExceptionFilter,
        { provide: WEB_PAGES_FILTER, useExisting: WebExceptionFilter },
      ],
      // The database's outage check and the pages' filter, for the HTTP exception filter around
      // this module.
      exports: [InfrastructureModule, WEB_PAGES_FILTER],
    };
  }
}
