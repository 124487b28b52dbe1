import { Injectable } from '@nestjs/common';
import { CHANNELS } from '@gw/contracts';
import { dayRange, moscowDate } from '@gw/domain';
import { InvalidRequestError } from '../backoffice.errors';
import { ChannelStatsRepository } from '../persistence/channel-stats.repository';
import type { ChannelCountsDto, ChannelStatsDto } from './channel-stats.dto';

/**
 * Readings per channel and Moscow day of receipt, by their current status: a reading an operator
 * has since decided counts as accepted or rejected, no longer in review.
 */
@Injectable()
export class ChannelStatsUseCase {
  constructor(private readonly stats: ChannelStatsRepository) {}

  async execute(from?: string, to?: string): Promise<ChannelStatsDto> {
    const asked = dayRange(from, to, moscowDate(new Date()));
    if (!asked.ok) throw new InvalidRequestError(asked.error);
    const days = await this.stats.daily(asked.range, CHANNELS);
    return { ...asked.range, days, totals: CHANNELS.map((channel) => total(channel, days)) };
  }
}

function total(channel: string, days: ChannelCountsDto[]): ChannelCountsDto {
  const sum: ChannelCountsDto = {
    channel,
    received: 0,
    accepted: 0,
    duplicate: 0,
    rejected: 0,
    rejectedByReason: {},
    inReview: 0,
  };
  for (const day of days.filter((d) => d.channel === channel)) {
    sum.received += day.received;
    sum.accepted += day.accepted;
    sum.duplicate += day.duplicate;
    sum.rejected += day.rejected;
    sum.inReview += day.inReview;
    for (const [reason, n] of Object.entries(day.rejectedByReason))
      sum.rejectedByReason[reason] = (sum.rejectedByReason[reason] ?? 0) + n;
  }
  return sum;
}
