import { csvDocument } from '@gw/platform';
import type { AuditEntryDto } from '../audit/audit.dto';
import type { ReviewItemDto } from '../review/review.dto';
import type { ChannelCountsDto, ChannelStatsDto } from '../stats/channel-stats.dto';
import { ROLE_NAMES, actionName, reasonText } from './ru-texts';
import { channelName, moscowDateTime, ruDate, ruPeriod, zoneValues } from './pages/view-helpers';

/** At most this many rows in one exported file; narrow the filters for more. */
export const MAX_EXPORT_ROWS = 10_000;

const reasons = (codes: string[]) => codes.map(reasonText).join(', ');

/** The review queue as the page lists it, one item a row. */
export function queueCsv(items: ReviewItemDto[]): string {
  return csvDocument(
    [
      'Получено',
      'Канал',
      'Лицевой счёт',
      'Прибор',
      'Период',
      'Показание',
      'Расход',
      'Причины',
      'В работе у',
      'Идентификатор',
    ],
    items.map((item) => [
      moscowDateTime(item.receivedAt),
      channelName(item.channel),
      item.accountNumber,
      item.meterSerial,
      ruPeriod(item.billingPeriod),
      zoneValues(item.values),
      zoneValues(item.consumption),
      reasons(item.reasons),
      item.claim?.by ?? null,
      item.submissionId,
    ]),
  );
}

/** The audit log, newest first, with the states before and after as JSON. */
export function auditCsv(entries: AuditEntryDto[]): string {
  return csvDocument(
    ['Время', 'Оператор', 'Роль', 'Действие', 'Объект', 'До', 'После', 'Номер записи'],
    entries.map((e) => [
      moscowDateTime(e.at, true),
      e.login,
      ROLE_NAMES[e.role] ?? e.role,
      actionName(e.action),
      e.subject,
      e.before === null ? null : JSON.stringify(e.before),
      e.after === null ? null : JSON.stringify(e.after),
      e.id,
    ]),
  );
}

/** The statistics per day and channel, then the range's totals per channel. */
export function statsCsv(stats: ChannelStatsDto): string {
  const counts = (c: ChannelCountsDto) => [
    c.received,
    c.accepted,
    c.duplicate,
    c.rejected,
    c.inReview,
    Object.entries(c.rejectedByReason)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, n]) => `${reasonText(code)}: ${n}`)
      .join(', '),
  ];
  return csvDocument(
    [
      'День',
      'Канал',
      'Получено',
      'Принято',
      'Повторы',
      'Отклонено',
      'На проверке',
      'Отклонено по причинам',
    ],
    [
      ...stats.days.map((d) => [ruDate(d.date), channelName(d.channel), ...counts(d)]),
      ...stats.totals.map((t) => [
        `${ruDate(stats.from)}–${ruDate(stats.to)}`,
        channelName(t.channel),
        ...counts(t),
      ]),
    ],
  );
}
