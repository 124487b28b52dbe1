import { Module } from '@nestjs/common';
import { MeterRepository, PersistenceModule, ReadingRepository } from '@gw/persistence';
import { AccountsController } from './accounts.controller';
import { ListAccountMetersUseCase } from './list-account-meters.use-case';
import { ListMeterReadingsUseCase } from './list-meter-readings.use-case';
import { MetersController } from './meters.controller';

@Module({
  imports: [PersistenceModule.forFeature([MeterRepository, ReadingRepository])],
  controllers: [AccountsController, MetersController],
  providers: [ListAccountMetersUseCase, ListMeterReadingsUseCase],
  exports: [ListAccountMetersUseCase, ListMeterReadingsUseCase],
})
export class MetersModule {}
