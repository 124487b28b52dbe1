import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { ChannelStatsDto, ChannelStatsQueryDto } from './channel-stats.dto';
import { ChannelStatsUseCase } from './channel-stats.use-case';
import { ApiTooManyRequests } from '@gw/platform';

@ApiTags('stats')
@Roles('supervisor')
@ApiTooManyRequests({ type: ErrorResponseDto })
@Controller('v1/stats')
export class StatsController {
  constructor(private readonly channelStats: ChannelStatsUseCase) {}

  @Get('channels')
  @ApiOperation({
    summary: 'Readings per channel and day: received, accepted, rejected by reason, in review',
    description:
      'Days are Moscow days of receipt; statuses are current (after operator decisions). ' +
      'Computed by one set-based query.',
  })
  @ApiOkResponse({ type: ChannelStatsDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'from or to not YYYY-MM-DD, from after to, or more than 366 days',
  })
  channels(@Query() query: ChannelStatsQueryDto): Promise<ChannelStatsDto> {
    return this.channelStats.execute(query.from, query.to);
  }
}
