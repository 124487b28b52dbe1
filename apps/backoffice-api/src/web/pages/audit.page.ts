import type { AuditPageDto } from '../../audit/audit.dto';
import type { AuditFilters, FieldErrors } from '../web-forms';
import { markup, type SafeHtml } from '../markup';
import { ACTION_NAMES, actionName, ROLE_NAMES } from '../ru-texts';
import { fieldError, flash, invalidAttrs, layout, type PageFrame } from './layout.page';
import { moscowDateTime } from './view-helpers';

/** Entries per page of the audit page. */
export const AUDIT_PAGE_SIZE = 50;

/** The filters' query string (only those given), optionally with the page's `beforeId`. */
export function auditQuery(filters: AuditFilters, beforeId?: string): string {
  const params = new URLSearchParams();
  for (const field of ['login', 'action', 'from', 'to'] as const)
    if (filters[field] !== '') params.set(field, filters[field]);
  if (beforeId) params.set('beforeId', beforeId);
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/** The subject of an entry, linked to its page where it has one. */
function subjectLink(subject: string): SafeHtml {
  const [kind, id] = [
    subject.slice(0, subject.indexOf(':')),
    subject.slice(subject.indexOf(':') + 1),
  ];
  if (kind === 'review') return markup`<a href="/review/${id}">показание ${id.slice(0, 8)}…</a>`;
  if (kind === 'meter') return markup`<a href="/meters/${encodeURIComponent(id)}">прибор ${id}</a>`;
  if (kind === 'operator') return markup`оператор ${id}`;
  return markup`${subject}`;
}

/** What changed, short: the state after the action (the CSV export has both states in full). */
function change(after: unknown): string {
  if (after === null || after === undefined) return '—';
  const text = JSON.stringify(after);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/**
 * The audit log for administrators: newest first, by operator, action and Moscow days. Without a
 * page, the filters were refused: they are shown again as typed, each slip at its field.
 */
export function auditPage(view: {
  session: NonNullable<PageFrame['session']>;
  filters: AuditFilters;
  errors: FieldErrors;
  page: AuditPageDto | null;
}): string {
  const { filters, errors, page } = view;
  const option = (value: string, text: string) =>
    markup`<option value="${value}"${value === filters.action ? markup` selected` : null}>${text}</option>`;
  const marks = (field: string) => invalidAttrs(`audit-${field}-error`, errors[field]);
  const message = (field: string) => fieldError(`audit-${field}-error`, errors[field]);
  return layout(
    { title: 'Журнал действий', session: view.session, active: 'audit' },
    markup`<h1>Журнал действий операторов</h1>
${flash('error', page ? null : 'Фильтр заполнен неверно: исправьте отмеченные поля.')}
<form class="filters" method="get" action="/audit" role="search" aria-label="Фильтры журнала">
<div class="field"><label>Оператор (логин)<input name="login" value="${filters.login}" maxlength="64" autocomplete="off"${marks('login')}></label>${message('login')}</div>
<div class="field"><label>Действие<select name="action"${marks('action')}>${option('', 'все')}${Object.entries(ACTION_NAMES).map(([code, text]) => option(code, text))}</select></label>${message('action')}</div>
<div class="field"><label>С даты<input name="from" type="date" value="${filters.from}"${marks('from')}></label>${message('from')}</div>
<div class="field"><label>По дату<input name="to" type="date" value="${filters.to}"${marks('to')}></label>${message('to')}</div>
<button type="submit">Показать</button>
</form>
${message('beforeId')}${page ? entries(filters, page) : null}`,
  );
}

/** A page of entries, the CSV file of them all and the links to older and newer pages. */
function entries(filters: AuditFilters, page: AuditPageDto): SafeHtml {
  return markup`<p class="muted">Даты — московские сутки, обе включительно. <a href="/exports/audit.csv${auditQuery(filters)}" download>Скачать CSV</a> (до 10 000 записей, с состояниями до и после полностью)</p>
${
  page.entries.length === 0
    ? markup`<section class="card" id="audit-empty">Записей нет.</section>`
    : markup`<table id="audit">
<caption class="visually-hidden">Действия операторов, новые первыми</caption>
<thead><tr><th scope="col">Время</th><th scope="col">Оператор</th><th scope="col">Роль</th><th scope="col">Действие</th><th scope="col">Объект</th><th scope="col">Стало</th></tr></thead>
<tbody>${page.entries.map(
        (
          e,
        ) => markup`<tr data-id="${e.id}"><td>${moscowDateTime(e.at, true)}</td><td>${e.login}</td><td>${ROLE_NAMES[e.role] ?? e.role}</td>
<td>${actionName(e.action)}</td><td>${subjectLink(e.subject)}</td><td><code>${change(e.after)}</code></td></tr>`,
      )}</tbody></table>`
}
${
  page.nextBeforeId
    ? markup`<nav class="paging" aria-label="Страницы журнала">${filters.beforeId ? markup`<a href="/audit${auditQuery(filters)}">← К новым</a>` : null}<a href="/audit${auditQuery(filters, page.nextBeforeId)}" rel="next">Более ранние →</a></nav>`
    : filters.beforeId
      ? markup`<nav class="paging" aria-label="Страницы журнала"><a href="/audit${auditQuery(filters)}">← К новым</a></nav>`
      : null
}`;
}
