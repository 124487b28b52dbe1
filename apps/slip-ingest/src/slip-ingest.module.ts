import { type DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@gw/persistence';
import { InfrastructureModule } from '@gw/runtime';
import { GetSlipBatchUseCase } from './get-slip-batch.use-case';
import { IngestSlipBatchUseCase } from './ingest-slip-batch.use-case';
import { ScanningCentreRepository } from './persistence/scanning-centre.repository';
import { SlipBatchRepository } from './persistence/slip-batch.repository';
import { SlipImageRepository } from './persistence/slip-image.repository';
import { SaveSlipImageUseCase } from './save-slip-image.use-case';
import { ScanningCentreGuard } from './scanning-centre.guard';
import { SlipBatchController } from './slip-batch.controller';
import { SlipImageFetcher } from './slip-image-fetcher';
import { SlipImagePurgeJob } from './slip-image-purge.job';
import { SlipImageStoreClient } from './slip-image-store.client';
import { SLIP_INGEST_OPTIONS, type SlipIngestEnv, slipIngestOptions } from './slip-ingest.env';

@Module({})
export class SlipIngestModule {
  static forRoot(env: SlipIngestEnv): DynamicModule {
    return {
      module: SlipIngestModule,
      imports: [
        InfrastructureModule.forRoot({ env, clientId: 'slip-ingest', poolSize: 5 }),
        PersistenceModule.forFeature([
          ScanningCentreRepository,
          SlipBatchRepository,
          SlipImageRepository,
        ]),
      ],
      controllers: [SlipBatchController],
      providers: [
        { provide: SLIP_INGEST_OPTIONS, useValue: slipIngestOptions(env) },
        GetSlipBatchUseCase,
        IngestSlipBatchUseCase,
        SaveSlipImageUseCase,
        ScanningCentreGuard,
        SlipImageFetcher,
        SlipImagePurgeJob,
        SlipImageStoreClient,
      ],
      // The database's outage check, for the HTTP exception filter around this module.
      exports: [InfrastructureModule],
    };
  }
}
