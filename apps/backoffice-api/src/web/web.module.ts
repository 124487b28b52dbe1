import { Module } from '@nestjs/common';
import { MeterRepository, MeterVerificationRepository, PersistenceModule } from '@gw/persistence';
import { AuditModule } from '../audit/audit.module';
import { EstimatesModule } from '../estimates/estimates.module';
import { MetersModule } from '../meters/meters.module';
import { ReviewModule } from '../review/review.module';
import { StatsModule } from '../stats/stats.module';
import { VerificationsModule } from '../verifications/verifications.module';
import { MeterPageQuery } from './meter-page.query';
import { SignInFormGuard, WebAuthGuard } from './web-auth.guard';
import { WebController } from './web.controller';
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
  providers: [MeterPageQuery, SignInFormGuard, WebAuthGuard],
})
export class WebModule {}
