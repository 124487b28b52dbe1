import { Module } from '@nestjs/common';
import { EstimateRepository, PersistenceModule } from '@gw/persistence';
import { EstimatesController } from './estimates.controller';
import { ListEstimatesUseCase } from './list-estimates.use-case';

@Module({
  imports: [PersistenceModule.forFeature([EstimateRepository])],
  controllers: [EstimatesController],
  providers: [ListEstimatesUseCase],
  exports: [ListEstimatesUseCase],
})
export class EstimatesModule {}
