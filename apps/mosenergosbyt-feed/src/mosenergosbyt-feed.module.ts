import { type DynamicModule, Module } from '@nestjs/common';
import { ConsumerHealth, ConsumerHealthIndicator } from '@gw/messaging';
import { PersistenceModule, TransactionRunner } from '@gw/persistence';
import { InfrastructureModule } from '@gw/runtime';
import { IngestPartnerReadingsUseCase } from './ingest-partner-readings.use-case';
import { FEED_ENV, type FeedEnv } from './mosenergosbyt-feed.env';
import { OutcomesConsumer } from './outcomes.consumer';
import { PartnerReadingsConsumer } from './partner-readings.consumer';
import { PartnerFeedRepository } from './persistence/partner-feed.repository';
import { PartnerMapRepository } from './persistence/partner-map.repository';
import { PublishOutboundReadingsUseCase } from './publish-outbound-readings.use-case';
import { PurgePartnerHistoryUseCase } from './purge-partner-history.use-case';
import { ReleaseParkedReadingsUseCase } from './release-parked-readings.use-case';
import { ReleaseParkedScheduler } from './release-parked.scheduler';

@Module({})
export class MosenergosbytFeedModule {
  static forRoot(env: FeedEnv, health: ConsumerHealth): DynamicModule {
    return {
      module: MosenergosbytFeedModule,
      imports: [
        InfrastructureModule.forRoot({
          env,
          clientId: 'mosenergosbyt-feed',
          poolSize: 4,
          indicators: [ConsumerHealthIndicator],
          providers: [{ provide: ConsumerHealth, useValue: health }, ConsumerHealthIndicator],
        }),
        PersistenceModule.forFeature([
          PartnerFeedRepository,
          PartnerMapRepository,
          TransactionRunner,
        ]),
      ],
      controllers: [OutcomesConsumer, PartnerReadingsConsumer],
      providers: [
        { provide: FEED_ENV, useValue: env },
        IngestPartnerReadingsUseCase,
        PublishOutboundReadingsUseCase,
        ReleaseParkedReadingsUseCase,
        PurgePartnerHistoryUseCase,
        ReleaseParkedScheduler,
      ],
      // The database's outage check, for the HTTP exception filter around this module.
      exports: [InfrastructureModule],
    };
  }
}
