import { Module } from '@nestjs/common';
import { MeterRepository, MeterVerificationRepository, PersistenceModule } from '@gw/persistence';
import { WEB_PAGES_FILTER } from '@gw/platform';
import { AuditModule } from '../audit/audit.module';
import { EstimatesModule } from '../estimates/estimates.module';
import { MetersModule } from '../meters/meters.module';
import { ReviewModule } from '../review/review.module';
import { StatsModule } from '../stats/stats.module';
import { VerificationsModule } from '../verifications/verifications.module';
import { MeterPageQuery } from './meter-page.query';
import { SignInFormGuard, WebAuthGuard } from './web-auth.guard';
import { WebController } from './web.controller';
import { WebExceptionFilter } from './web-exception.filter';
import { WebExportsController } from './web-exports.controller';

/** The operators' web UI, server-rendered over the API's use cases. */
@Module({
  imports: [
    AuditModule,
    EstimatesModule,
    MetersModule,
    PersistenceModule.forFeature([MeterRepository, MeterVerificationRepository]),
    ReviewModule,
    StatsModule,
    VerificationsModule,
  ],
  controllers: [WebController, WebExportsController],
  providers: [
    MeterPageQuery,
    SignInFormGuard,
    WebAuthGuard,
    WebExceptionFilter,
    { provide: WEB_PAGES_FILTER, useExisting: WebExceptionFilter },
  ],
  // For the HTTP exception filter around the app, which hands it the unknown page addresses.
  exports: [WEB_PAGES_FILTER],
})
export class WebModule {}
