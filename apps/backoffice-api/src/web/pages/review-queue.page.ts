import { CHANNELS, REVIEW_CODES } from '@gw/contracts';
import type { ReviewQueueDto } from '../../review/review.dto';
import { markup } from '../markup';
import { CHANNEL_NAMES, reasonText } from '../ru-texts';
import { flash, layout, type PageFrame } from './layout.page';
import { moscowDateTime, reasonList, zoneValues } from './view-helpers';

export interface QueueFilters {
  channel: string;
  reason: string;
  minAgeHours: string;
  maxAgeHours: string;
}

/** The open review queue with its filters; each row links to the item. */
export function reviewQueuePage(view: {
  session: NonNullable<PageFrame['session']>;
  queue: ReviewQueueDto;
  filters: QueueFilters;
  notice: string | null;
  error: string | null;
}): string {
  const { queue, filters } = view;
  const option = (value: string, text: string, selected: string) =>
    markup`<option value="${value}"${value === selected ? markup` selected` : null}>${text}</option>`;
  const rows = queue.items.map(
    (item) => markup`<tr data-id="${item.submissionId}">
<td>${moscowDateTime(item.receivedAt)}</td>
<td>${CHANNEL_NAMES[item.channel as keyof typeof CHANNEL_NAMES] ?? item.channel}</td>
<td>${item.accountNumber}</td>
<td>${item.meterSerial}</td>
<td>${zoneValues(item.values)}</td>
<td>${zoneValues(item.consumption)}</td>
<td>${reasonList(item.reasons)}</td>
<td>${item.claim ? `${item.claim.by} до ${moscowDateTime(item.claim.until).slice(11)}` : '—'}</td>
<td><a href="/review/${item.submissionId}">Открыть</a></td>
</tr>`,
  );
  return layout(
    { title: 'Очередь проверки', session: view.session, active: 'queue' },
    markup`<h1>Очередь проверки</h1>
${flash('ok', view.notice)}${flash('error', view.error)}
<form class="filters" method="get" action="/">
<label>Канал<select name="channel">${option('', 'все', filters.channel)}${CHANNELS.map((c) => option(c, CHANNEL_NAMES[c], filters.channel))}</select></label>
<label>Причина<select name="reason">${option('', 'все', filters.reason)}${REVIEW_CODES.map((r) => option(r, reasonText(r), filters.reason))}</select></label>
<label>Старше, ч<input name="minAgeHours" type="number" min="0" step="any" value="${filters.minAgeHours}"></label>
<label>Моложе, ч<input name="maxAgeHours" type="number" min="0" step="any" value="${filters.maxAgeHours}"></label>
<button type="submit">Показать</button>
</form>
<p class="muted">Ожидают решения: <strong id="queue-total">${queue.total}</strong>${queue.total > queue.items.length ? ` (показаны ${queue.items.length} самых старых)` : ''}</p>
${
  queue.items.length === 0
    ? markup`<section class="card">Очередь пуста.</section>`
    : markup`<table id="queue">
<thead><tr><th>Получено</th><th>Канал</th><th>Лицевой счёт</th><th>Прибор</th><th>Показание</th><th>Расход</th><th>Причина</th><th>В работе</th><th></th></tr></thead>
<tbody>${rows}</tbody>
</table>`
}`,
  );
}
