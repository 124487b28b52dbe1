import { Module } from '@nestjs/common';
import { PersistenceModule } from '@gw/persistence';
import { SlipImageRepository } from '../persistence/slip-image.repository';
import { WebAuthGuard } from '../web/web-auth.guard';
import { GetSlipImageUseCase } from './get-slip-image.use-case';
import { SlipImageController } from './slip-image.controller';

/** Scanned slips for the review item: the API's and the web UI's route to the same bytes. */
@Module({
  imports: [PersistenceModule.forFeature([SlipImageRepository])],
  controllers: [SlipImageController],
  providers: [GetSlipImageUseCase, WebAuthGuard],
})
export class SlipImagesModule {}
