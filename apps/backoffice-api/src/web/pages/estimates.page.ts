import type { EstimatesPageDto } from '../../estimates/estimate.dto';
import { markup } from '../markup';
import type { FieldErrors } from '../web-forms';
import { fieldError, flash, invalidAttrs, layout, type PageFrame } from './layout.page';
import { moscowDateTime, resourceName, ruPeriod, zoneValues } from './view-helpers';

const METHOD_NAMES: Record<string, string> = {
  average: 'по среднему',
  normative: 'по нормативу',
  normative_raised: 'по нормативу с повышающим коэффициентом',
};

/**
 * A billing period's estimates (Decree 354), a page at a time, with the billing file to download;
 * without a page, the query was refused: the period typed is shown again, each slip marked.
 */
export function estimatesPage(
  view: { session: NonNullable<PageFrame['session']> } & (
    { page: EstimatesPageDto } | { page: null; refused: { period: string }; errors: FieldErrors }
  ),
): string {
  const { page } = view;
  const errors = page === null ? view.errors : {};
  const typed = page === null ? view.refused.period : page.period;
  const form = markup`<form class="filters" method="get" action="/estimates" aria-label="Расчётный период">
<div class="field"><label>Расчётный период<input id="period" name="period" type="month" value="${typed}" required${invalidAttrs('period-error', errors.period)}></label>${fieldError('period-error', errors.period)}</div>
<button type="submit">Показать</button>
</form>`;
  if (page === null)
    return layout(
      { title: 'Начисления без показаний', session: view.session, active: 'estimates' },
      markup`<h1>Начисления без показаний (ПП № 354)</h1>
${flash('error', errors.period ? 'Период задан неверно: исправьте отмеченное поле.' : null)}
${form}${fieldError('afterSerial-error', errors.afterSerial)}`,
    );
  const period = encodeURIComponent(page.period);
  const periodName = ruPeriod(page.period);
  const rows = page.estimates.map(
    (e) => markup`<tr data-serial="${e.meterSerial}">
<td>${e.accountNumber}</td>
<td><a href="/meters/${encodeURIComponent(e.meterSerial)}">${e.meterSerial}</a></td>
<td>${resourceName(e.resource)}</td>
<td>${METHOD_NAMES[e.method] ?? e.method}${e.coefficient === null ? '' : ` × ${e.coefficient}`}</td>
<td>${zoneValues(e.consumption)}</td>
<td>${e.basis ? `${ruPeriod(e.basis.from)} — ${ruPeriod(e.basis.to)} (${e.basis.periods} мес.)` : '—'}</td>
<td>${e.consecutive}</td>
<td>${moscowDateTime(e.decidedAt)}</td>
<td>${e.supersededBy ? 'заменена принятым показанием' : e.published ? 'передана' : 'ждёт отправки'}</td>
</tr>`,
  );
  return layout(
    {
      title: `Начисления без показаний за ${periodName}`,
      session: view.session,
      active: 'estimates',
    },
    markup`<h1>Начисления без показаний (ПП № 354)</h1>
<p>Расчётный период: <strong id="estimates-period">${periodName}</strong></p>
${form}
<p><a href="/estimates.csv?period=${period}">Скачать файл для биллинга (CSV)</a></p>
${
  page.estimates.length === 0
    ? markup`<section class="card">За этот период начислений без показаний нет.</section>`
    : markup`<table id="estimates">
<caption class="visually-hidden">Начисления без показаний за ${periodName}</caption>
<thead><tr><th scope="col">Лицевой счёт</th><th scope="col">Прибор</th><th scope="col">Ресурс</th><th scope="col">Способ</th><th scope="col">Объём</th><th scope="col">По периодам</th><th scope="col">Периодов подряд</th><th scope="col">Рассчитано</th><th scope="col">Состояние</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
}
${page.nextAfterSerial ? markup`<p><a href="/estimates?period=${period}&amp;afterSerial=${encodeURIComponent(page.nextAfterSerial)}">Следующая страница</a></p>` : null}`,
  );
}
