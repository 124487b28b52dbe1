import { CHANNELS, REVIEW_CODES } from '@gw/contracts';
import type { BulkItemResult } from '../../review/decide-review-items.use-case';
import type { ReviewQueueDto } from '../../review/review.dto';
import type { BulkFormErrors, FieldErrors } from '../web-forms';
import { markup, type SafeHtml } from '../markup';
import { CHANNEL_NAMES, ERROR_TEXTS, reasonText } from '../ru-texts';
import { csrfField, fieldError, flash, invalidAttrs, layout, type PageFrame } from './layout.page';
import { channelName, moscowDateTime, reasonList, zoneValues } from './view-helpers';

export interface QueueFilters {
  channel: string;
  reason: string;
  minAgeHours: string;
  maxAgeHours: string;
  /** An account number or meter serial. */
  q: string;
  /** From 1. */
  page: number;
}

/** Items per page of the queue, and so at most in one bulk decision from it. */
export const QUEUE_PAGE_SIZE = 50;

const FILTER_FIELDS = ['q', 'channel', 'reason', 'minAgeHours', 'maxAgeHours'] as const;

/** The queue's query string for these filters (only those given), optionally with a page. */
export function queueQuery(
  filters: QueueFilters,
  extra: { page?: number; all?: true } = {},
): string {
  const params = new URLSearchParams();
  for (const field of FILTER_FIELDS) if (filters[field] !== '') params.set(field, filters[field]);
  if (extra.page !== undefined && extra.page > 1) params.set('page', String(extra.page));
  if (extra.all) params.set('all', '1');
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/** What a bulk decision posted back: the ticks and comment to keep, and what went wrong. */
export interface BulkState {
  selected: ReadonlySet<string>;
  comment: string;
  errors: BulkFormErrors;
  results: BulkItemResult[] | null;
}

const NO_BULK: BulkState = { selected: new Set(), comment: '', errors: {}, results: null };

interface QueueView {
  session: NonNullable<PageFrame['session']>;
  /** Null when the filters were refused. */
  queue: ReviewQueueDto | null;
  filters: QueueFilters;
  errors?: FieldErrors;
  /** Tick every item of the page (the «Отметить все» link; the pages run no script). */
  selectAll?: boolean;
  bulk?: BulkState;
  notice?: string | null;
  error?: string | null;
}

/**
 * The open review queue, a page at a time, with its search and filters. Items can be ticked and
 * approved or rejected together with one comment; the answer lists what became of each. Refused
 * filters are shown again as typed, each slip at its field, and no queue.
 */
export function reviewQueuePage(view: QueueView): string {
  const { queue, filters, session } = view;
  const errors = view.errors ?? {};
  const error = queue
    ? (view.error ?? null)
    : 'Фильтр заполнен неверно: исправьте отмеченные поля.';
  const option = (value: string, text: string, selected: string) =>
    markup`<option value="${value}"${value === selected ? markup` selected` : null}>${text}</option>`;
  const marks = (field: string) => invalidAttrs(`queue-${field}-error`, errors[field]);
  const message = (field: string) => fieldError(`queue-${field}-error`, errors[field]);

  return layout(
    { title: 'Очередь проверки', session, active: 'queue' },
    markup`<h1>Очередь проверки</h1>
${flash('ok', view.notice ?? null)}${flash('error', error)}${bulkResults(view.bulk?.results ?? null)}
<form class="filters" method="get" action="/" role="search" aria-label="Поиск и фильтры очереди">
<div class="field"><label>Лицевой счёт или номер прибора<input name="q" value="${filters.q}" maxlength="32"${marks('q')}></label>${message('q')}</div>
<div class="field"><label>Канал<select name="channel"${marks('channel')}>${option('', 'все', filters.channel)}${CHANNELS.map((c) => option(c, CHANNEL_NAMES[c], filters.channel))}</select></label>${message('channel')}</div>
<div class="field"><label>Причина<select name="reason"${marks('reason')}>${option('', 'все', filters.reason)}${REVIEW_CODES.map((r) => option(r, reasonText(r), filters.reason))}</select></label>${message('reason')}</div>
<div class="field"><label>Старше, ч<input name="minAgeHours" type="number" min="0" step="any" value="${filters.minAgeHours}"${marks('minAgeHours')}></label>${message('minAgeHours')}</div>
<div class="field"><label>Моложе, ч<input name="maxAgeHours" type="number" min="0" step="any" value="${filters.maxAgeHours}"${marks('maxAgeHours')}></label>${message('maxAgeHours')}</div>
<button type="submit">Показать</button>
</form>
${message('page')}${queue ? queueTable(view, queue) : null}`,
  );
}

/** The queue's page of items with its total, paging and the bulk form. */
function queueTable(view: QueueView, queue: ReviewQueueDto): SafeHtml {
  const { filters, session } = view;
  const bulk = view.bulk ?? NO_BULK;
  const pages = Math.max(1, Math.ceil(queue.total / QUEUE_PAGE_SIZE));
  const first = (filters.page - 1) * QUEUE_PAGE_SIZE;
  const rows = queue.items.map((item) => {
    const ticked = view.selectAll || bulk.selected.has(item.submissionId);
    return markup`<tr data-id="${item.submissionId}">
<td><input type="checkbox" name="ids" value="${item.submissionId}" form="bulk-form" aria-label="Отметить: прибор ${item.meterSerial}, счёт ${item.accountNumber}"${ticked ? markup` checked` : null}${bulk.errors.ids ? markup` aria-invalid="true" aria-describedby="bulk-ids-error"` : null}></td>
<td>${moscowDateTime(item.receivedAt)}</td>
<td>${channelName(item.channel)}</td>
<td>${item.accountNumber}</td>
<td>${item.meterSerial}</td>
<td>${zoneValues(item.values)}</td>
<td>${zoneValues(item.consumption)}</td>
<td>${reasonList(item.reasons)}</td>
<td>${item.claim ? `${item.claim.by} до ${moscowDateTime(item.claim.until).slice(11)}` : '—'}</td>
<td><a href="/review/${item.submissionId}">Открыть<span class="visually-hidden"> показание прибора ${item.meterSerial}</span></a></td>
</tr>`;
  });
  const pageLink = (page: number, text: string, rel: string) =>
    page >= 1 && page <= pages && page !== filters.page
      ? markup`<a href="/${queueQuery(filters, { page })}" rel="${rel}">${text}</a>`
      : markup`<span class="muted">${text}</span>`;
  const paging =
    pages > 1
      ? markup`<nav class="paging" aria-label="Страницы очереди">${pageLink(filters.page - 1, '← Предыдущая', 'prev')}
<span id="queue-page">Страница ${filters.page} из ${pages}</span>${pageLink(filters.page + 1, 'Следующая →', 'next')}</nav>`
      : null;
  const hiddenFilters = [...FILTER_FIELDS, 'page' as const].map(
    (field) => markup`<input type="hidden" name="${field}" value="${String(filters[field])}">`,
  );

  return markup`<p class="muted">Ожидают решения: <strong id="queue-total">${queue.total}</strong>${
    queue.items.length > 0
      ? ` · показаны ${first + 1}–${first + queue.items.length}, самые старые первыми`
      : ''
  } · <a href="/exports/queue.csv${queueQuery(filters)}" download>Скачать CSV</a></p>
${
  queue.items.length === 0
    ? markup`<section class="card">${filters.page > 1 ? 'На этой странице ничего нет.' : 'Очередь пуста.'}</section>`
    : markup`<p><a href="/${queueQuery(filters, { page: filters.page, all: true })}">Отметить все на странице</a></p>
<table id="queue">
<caption class="visually-hidden">Показания, ожидающие решения</caption>
<thead><tr><th scope="col"><span class="visually-hidden">Отметить</span></th><th scope="col">Получено</th><th scope="col">Канал</th><th scope="col">Лицевой счёт</th><th scope="col">Прибор</th><th scope="col">Показание</th><th scope="col">Расход</th><th scope="col">Причина</th><th scope="col">В работе</th><th scope="col"><span class="visually-hidden">Ссылка</span></th></tr></thead>
<tbody>${rows}</tbody>
</table>
${paging}
<form method="post" action="/bulk-decisions" id="bulk-form" class="card bulk" aria-labelledby="bulk-title">${csrfField(session.csrf)}${hiddenFilters}
<h2 id="bulk-title">Решение по отмеченным</h2>
${fieldError('bulk-ids-error', bulk.errors.ids)}
<p class="muted">Каждое отмеченное показание решается отдельно, как со своей страницы: принятие проверяется правилами заново, отклонение — по причинам проверки. Записи, взятые в работу другими, не меняются.</p>
<label>Комментарий<textarea id="bulk-comment" name="comment" maxlength="1000"${bulk.errors.comment ? markup` aria-invalid="true" aria-describedby="bulk-comment-error"` : null}>${bulk.comment}</textarea></label>
${fieldError('bulk-comment-error', bulk.errors.comment)}
<div class="buttons"><button type="submit" name="decision" value="approve" id="bulk-approve">Принять отмеченные</button>
<button class="danger" type="submit" name="decision" value="reject" id="bulk-reject">Отклонить отмеченные</button></div>
</form>`
}`;
}

/** What became of each item of a bulk decision, announced as it appears. */
function bulkResults(results: BulkItemResult[] | null): SafeHtml | null {
  if (!results) return null;
  const done = results.filter((r) => r.ok).length;
  return markup`<section class="card" id="bulk-results" role="status" aria-labelledby="bulk-results-title">
<h2 id="bulk-results-title">Решено ${done} из ${results.length}</h2>
<table><thead><tr><th scope="col">Показание</th><th scope="col">Итог</th></tr></thead><tbody>${results.map(
    (r) =>
      markup`<tr class="${r.ok ? 'ok' : 'failed'}" data-id="${r.submissionId}"><td><a href="/review/${r.submissionId}">${r.ok ? `прибор ${r.meterSerial}` : `${r.submissionId.slice(0, 8)}…`}</a></td>
<td>${r.ok ? (r.outcomePublished ? 'решено, исход отправлен' : 'решено, исход будет отправлен') : `не решено: ${ERROR_TEXTS[r.error]}${r.reasons.length > 0 ? ` ${r.reasons.map(reasonText).join(', ')}` : ''}`}</td></tr>`,
  )}</tbody></table></section>`;
}
