import { Module } from '@nestjs/common';
import { PersistenceModule } from '@gw/persistence';
import { ChannelStatsRepository } from '../persistence/channel-stats.repository';
import { ChannelStatsUseCase } from './channel-stats.use-case';
import { StatsController } from './stats.controller';

@Module({
  imports: [PersistenceModule.forFeature([ChannelStatsRepository])],
  controllers: [StatsController],
  providers: [ChannelStatsUseCase],
  exports: [ChannelStatsUseCase],
})
export class StatsModule {}
