import type { Channel, ReviewCode } from '@gw/contracts';
import { moscowMidnight } from '@gw/domain';
import type { AuditQueryDto } from '../audit/audit.dto';
import type { ReviewQueueQueryDto } from '../review/review.dto';
import type { QueueFilters } from './pages/review-queue.page';
import type { AuditFilters } from './web-forms';

const DAY_MS = 24 * 3600 * 1000;

/** The queue's page filters as the API's query. */
export function reviewQueueQuery(
  filters: QueueFilters,
  limit: number,
  offset: number,
): ReviewQueueQueryDto {
  const number = (v: string) => (v === '' ? undefined : Number(v));
  return {
    channel: (filters.channel || undefined) as Channel | undefined,
    reason: (filters.reason || undefined) as ReviewCode | undefined,
    minAgeHours: number(filters.minAgeHours),
    maxAgeHours: number(filters.maxAgeHours),
    q: filters.q || undefined,
    limit,
    offset,
  };
}

/** The audit page's filters as the API's query: Moscow days, the last one whole. */
export function auditLogQuery(filters: AuditFilters, limit: number): AuditQueryDto {
  return {
    login: filters.login || undefined,
    action: filters.action || undefined,
    from: filters.from ? moscowMidnight(filters.from).toISOString() : undefined,
    to: filters.to
      ? new Date(moscowMidnight(filters.to).getTime() + DAY_MS).toISOString()
      : undefined,
    beforeId: filters.beforeId || undefined,
    limit,
  };
}
