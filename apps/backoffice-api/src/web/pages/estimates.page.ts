import type { EstimatesPageDto } from '../../estimates/estimate.dto';
import { markup } from '../markup';
import { fieldError, flash, invalidAttrs, layout, type PageFrame } from './layout.page';
import { moscowDateTime, resourceName, ruPeriod, zoneValues } from './view-helpers';

const METHOD_NAMES: Record<string, string> = {
  average: 'по среднему',
  normative: 'по нормативу',
  normative_raised: 'по нормативу с повышающим коэффициентом',
};

/** What an operator asked for that is not a month (the field's message). */
const PERIOD_ERROR = 'Укажите месяц: год и месяц, например 2026-10.';

/**
 * A billing period's estimates (Decree 354), a page at a time, with the billing file to download;
 * without a page, the period typed (`refused`) is not a month and is shown again, marked, in the
 * form.
 */
export function estimatesPage(
  view: { session: NonNullable<PageFrame['session']> } & (
    { page: EstimatesPageDto } | { page: null; refused: string }
  ),
): string {
  const { page } = view;
  const error = page === null ? PERIOD_ERROR : undefined;
  const typed = page === null ? view.refused : page.period;
  const form = markup`<form class="filters" method="get" action="/estimates" aria-label="Расчётный период">
<div class="field"><label>Расчётный период<input id="period" name="period" type="month" value="${typed}" required${invalidAttrs('period-error', error)}></label>${fieldError('period-error', error)}</div>
<button type="submit">Показать</button>
</form>`;
  if (page === null)
    return layout(
      { title: 'Начисления без показаний', session: view.session, active: 'estimates' },
      markup`<h1>Начисления без показаний (ПП № 354)</h1>
${flash('error', 'Период задан неверно: исправьте отмеченное поле.')}
${form}`,
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
