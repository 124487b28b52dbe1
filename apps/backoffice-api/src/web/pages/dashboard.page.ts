import { CHANNELS } from '@gw/contracts';
import { MONTH_NAMES_RU } from '@gw/domain';
import type { ChannelStatsDto } from '../../stats/channel-stats.dto';
import { channelChart } from '../channel-chart';
import { markup, type SafeHtml } from '../markup';
import type { StatsPeriod } from '../page-messages';
import { CHANNEL_NAMES, reasonText } from '../ru-texts';
import type { FieldErrors } from '../web-forms';
import { fieldError, flash, invalidAttrs, layout, type PageFrame } from './layout.page';
import { channelName, ruDate, ruPeriod } from './view-helpers';

/** The statistics' query string: the month, or the range of days. */
export function statsQuery(period: StatsPeriod): string {
  return period.kind === 'month'
    ? `?month=${period.month}`
    : `?from=${period.from}&to=${period.to}`;
}

/**
 * The channels over a month or any range of days: received per day as a stacked chart, totals
 * and rejections by reason. Null stats: the range asked for was refused (errors at its fields).
 */
export function dashboardPage(view: {
  session: NonNullable<PageFrame['session']>;
  period: StatsPeriod | null;
  /** The range as typed, shown again in its fields. */
  given: { from: string; to: string };
  errors: FieldErrors;
  stats: ChannelStatsDto | null;
}): string {
  const { stats, period, given, errors } = view;
  const heading =
    period === null
      ? 'Статистика каналов'
      : period.kind === 'month'
        ? `Каналы: ${MONTH_NAMES_RU[Number(period.month.slice(5)) - 1]} ${period.month.slice(0, 4)}`
        : `Каналы: ${ruDate(period.from)} – ${ruDate(period.to)}`;
  const months =
    period?.kind === 'month'
      ? markup`<a href="/dashboard?month=${period.previous}">← ${ruPeriod(period.previous)}</a> · <a href="/dashboard?month=${period.next}">${ruPeriod(period.next)} →</a> · `
      : markup`<a href="/dashboard">Текущий месяц</a> · `;
  return layout(
    { title: 'Статистика каналов', session: view.session, active: 'dashboard' },
    markup`<h1>${heading}</h1>
${flash('error', errors.from || errors.to ? 'Период задан неверно: исправьте отмеченные поля.' : null)}
<form class="filters" method="get" action="/dashboard" aria-label="Период статистики">
<div class="field"><label>С даты<input name="from" type="date" value="${given.from}"${invalidAttrs('stats-from-error', errors.from)}></label>${fieldError('stats-from-error', errors.from)}</div>
<div class="field"><label>По дату<input name="to" type="date" value="${given.to}"${invalidAttrs('stats-to-error', errors.to)}></label>${fieldError('stats-to-error', errors.to)}</div>
<button type="submit">Показать за период</button>
</form>
${stats && period ? statistics(stats, period, months) : null}`,
  );
}

function statistics(stats: ChannelStatsDto, period: StatsPeriod, months: SafeHtml): SafeHtml {
  const reasons = [...new Set(stats.totals.flatMap((t) => Object.keys(t.rejectedByReason)))].sort();
  return markup`<p>${months}<span class="muted">с ${ruDate(stats.from)} по ${ruDate(stats.to)}, по дню получения (московское время)</span> · <a href="/exports/stats.csv${statsQuery(period)}" download>Скачать CSV</a></p>
<h2>Получено показаний по дням</h2>
<div class="legend">${CHANNELS.map((c, i) => markup`<span><i class="c${i}"></i>${CHANNEL_NAMES[c]}</span>`)}</div>
${channelChart(stats.days, CHANNELS, CHANNEL_NAMES)}
<h2>Итого за период</h2>
<table id="totals"><thead><tr><th scope="col">Канал</th><th scope="col" class="num">Получено</th><th scope="col" class="num">Принято</th><th scope="col" class="num">Повторы</th><th scope="col" class="num">Отклонено</th><th scope="col" class="num">На проверке</th></tr></thead>
<tbody>${stats.totals.map(
    (t) =>
      markup`<tr data-channel="${t.channel}"><td>${channelName(t.channel)}</td><td class="num">${t.received}</td><td class="num">${t.accepted}</td><td class="num">${t.duplicate}</td><td class="num">${t.rejected}</td><td class="num">${t.inReview}</td></tr>`,
  )}</tbody></table>
<h2>Отклонено по причинам</h2>
${
  reasons.length === 0
    ? markup`<p class="muted">Отклонённых показаний нет.</p>`
    : markup`<table id="reasons"><thead><tr><th scope="col">Причина</th>${CHANNELS.map((c) => markup`<th scope="col" class="num">${CHANNEL_NAMES[c]}</th>`)}</tr></thead>
<tbody>${reasons.map(
        (r) =>
          markup`<tr><td>${reasonText(r)}</td>${stats.totals.map((t) => markup`<td class="num">${t.rejectedByReason[r] ?? 0}</td>`)}</tr>`,
      )}</tbody></table>`
}`;
}
