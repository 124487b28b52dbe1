import { CHANNELS } from '@gw/contracts';
import { MONTH_NAMES_RU } from '@gw/domain';
import type { ChannelStatsDto } from '../../stats/channel-stats.dto';
import { channelChart } from '../channel-chart';
import { markup } from '../markup';
import { CHANNEL_NAMES, reasonText } from '../ru-texts';
import { layout, type PageFrame } from './layout.page';

/** The month's channels: received per day as a stacked chart, totals and rejections by reason. */
export function dashboardPage(view: {
  session: NonNullable<PageFrame['session']>;
  month: string;
  previous: string;
  next: string;
  stats: ChannelStatsDto;
}): string {
  const { stats } = view;
  const [year, month] = view.month.split('-').map(Number);
  const reasons = [...new Set(stats.totals.flatMap((t) => Object.keys(t.rejectedByReason)))].sort();
  return layout(
    { title: 'Каналы за месяц', session: view.session, active: 'dashboard' },
    markup`<h1>Каналы: ${MONTH_NAMES_RU[month - 1]} ${year}</h1>
<p><a href="/dashboard?month=${view.previous}">← ${view.previous}</a> · <a href="/dashboard?month=${view.next}">${view.next} →</a>
<span class="muted"> · с ${stats.from} по ${stats.to}, по дню получения (московское время)</span></p>
<h2>Получено показаний по дням</h2>
<div class="legend">${CHANNELS.map((c, i) => markup`<span><i class="c${i}"></i>${CHANNEL_NAMES[c]}</span>`)}</div>
${channelChart(stats.days, CHANNELS, CHANNEL_NAMES)}
<h2>Итого за период</h2>
<table id="totals"><thead><tr><th>Канал</th><th class="num">Получено</th><th class="num">Принято</th><th class="num">Повторы</th><th class="num">Отклонено</th><th class="num">На проверке</th></tr></thead>
<tbody>${stats.totals.map(
      (t) =>
        markup`<tr data-channel="${t.channel}"><td>${CHANNEL_NAMES[t.channel as keyof typeof CHANNEL_NAMES] ?? t.channel}</td><td class="num">${t.received}</td><td class="num">${t.accepted}</td><td class="num">${t.duplicate}</td><td class="num">${t.rejected}</td><td class="num">${t.inReview}</td></tr>`,
    )}</tbody></table>
<h2>Отклонено по причинам</h2>
${
  reasons.length === 0
    ? markup`<p class="muted">Отклонённых показаний нет.</p>`
    : markup`<table id="reasons"><thead><tr><th>Причина</th>${CHANNELS.map((c) => markup`<th class="num">${CHANNEL_NAMES[c]}</th>`)}</tr></thead>
<tbody>${reasons.map(
        (r) =>
          markup`<tr><td>${reasonText(r)}</td>${stats.totals.map((t) => markup`<td class="num">${t.rejectedByReason[r] ?? 0}</td>`)}</tr>`,
      )}</tbody></table>`
}`,
  );
}
