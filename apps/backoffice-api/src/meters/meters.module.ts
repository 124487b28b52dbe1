import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { ListAccountMetersUseCase } from './list-account-meters.use-case';
import { ListMeterReadingsUseCase } from './list-meter-readings.use-case';
import { MetersController } from './meters.controller';

@Module({
  controllers: [AccountsController, MetersController],
  providers: [ListAccountMetersUseCase, ListMeterReadingsUseCase],
  exports: [ListAccountMetersUseCase, ListMeterReadingsUseCase],
})
export class MetersModule {}
