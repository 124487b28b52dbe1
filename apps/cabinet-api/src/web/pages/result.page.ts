import { markup, type SafeHtml } from '@gw/platform';
import type { HistoryReadingDto } from '../../readings/reading.dto';
import { periodText, zoneValuesText } from '../page-texts';
import { layout } from './layout.page';

/** A reading just passed: its decision once the processor has made it, null until then. */
export interface PassedReading {
  submissionId: string;
  meterSerial: string;
  decided: HistoryReadingDto | null;
}

export function decisionText(r: HistoryReadingDto): SafeHtml {
  const explained = [...r.reasons, ...r.warnings];
  return markup`<span class="status ${r.status}">${r.statusText}</span>${
    explained.length > 0
      ? markup`<ul>${explained.map((e) => markup`<li>${e.text}</li>`)}</ul>`
      : null
  }`;
}

/**
 * What became of the readings just passed. While any is undecided the page says so in a live
 * region and the response asks the browser to reload it (the `Refresh` header: no script).
 */
export function resultPage(view: {
  csrf: string;
  accountNumber: string;
  readings: PassedReading[];
  refreshSeconds: number;
}): string {
  const pending = view.readings.some((r) => r.decided === null);
  return layout(
    { title: 'Показания переданы', csrf: view.csrf, signedIn: true },
    markup`<p><a href="/accounts/${view.accountNumber}">← К счётчикам лицевого счёта ${view.accountNumber}</a></p>
<h1>Показания переданы</h1>
<div class="flash ${pending ? 'wait' : 'ok'}" role="status" aria-live="polite" id="result-state">${
      pending
        ? markup`Проверяем показания. Страница обновится сама через ${view.refreshSeconds} с, или <a href="">обновите её</a>.`
        : 'Проверка завершена.'
    }</div>
<ul class="accounts" id="results">${view.readings.map(
      (r) =>
        markup`<li data-submission="${r.submissionId}"><h2>${r.decided?.resourceName ?? 'Счётчик'} — ${r.meterSerial}</h2>${
          r.decided
            ? markup`<p>Показание: <strong>${zoneValuesText(r.decided.values)}</strong>${r.decided.billingPeriod ? `, расчётный период — ${periodText(r.decided.billingPeriod)}` : ''}.</p><div class="decision">${decisionText(r.decided)}</div>`
            : markup`<p><span class="status pending">Проверяется…</span></p>`
        }</li>`,
    )}</ul>`,
  );
}
