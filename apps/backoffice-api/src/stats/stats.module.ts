import { Module } from '@nestjs/common';
import { ChannelStatsUseCase } from './channel-stats.use-case';
import { StatsController } from './stats.controller';

@Module({
  controllers: [StatsController],
  providers: [ChannelStatsUseCase],
  exports: [ChannelStatsUseCase],
})
export class StatsModule {}
