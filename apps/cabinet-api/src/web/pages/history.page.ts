import { markup } from '@gw/platform';
import { HISTORY_MONTHS } from '../cabinet-pages.query';
import type { CabinetMeterDto } from '../../accounts/account.dto';
import type { HistoryReadingDto } from '../../readings/reading.dto';
import { dateText, dateTimeText, periodText, zoneValuesText } from '../page-texts';
import { decisionText } from './result.page';
import { layout } from './layout.page';

/** Consumption of one billing period: the accepted readings' consumption added up per zone. */
export interface PeriodConsumption {
  period: string;
  consumption: { zone: string; value: string }[];
}

const CHANNEL_TEXTS: Record<string, string> = {
  cabinet: 'личный кабинет',
  'payment-terminal': 'платёжный терминал',
  kiosk: 'киоск',
  'paper-slip': 'бумажная квитанция',
  mosenergosbyt: 'Мосэнергосбыт',
};

/** One meter's readings over the last months, newest first, and its consumption per period. */
export function historyPage(view: {
  csrf: string;
  accountNumber: string;
  meter: CabinetMeterDto;
  from: string;
  readings: HistoryReadingDto[];
  periods: PeriodConsumption[];
}): string {
  const { meter } = view;
  return layout(
    { title: `История показаний ${meter.serial}`, csrf: view.csrf, signedIn: true },
    markup`<p><a href="/accounts/${view.accountNumber}">← К счётчикам лицевого счёта ${view.accountNumber}</a></p>
<h1>${meter.resourceName}: счётчик ${meter.serial}</h1>
<p class="muted">За ${HISTORY_MONTHS} расчётных периодов, первый — ${periodText(view.from)}. Поверка до ${dateText(meter.verification.dueOn)}.</p>
<h2>Расход по расчётным периодам</h2>
${
  view.periods.length === 0
    ? markup`<p>Принятых показаний за этот срок нет.</p>`
    : markup`<div class="table-wrap" tabindex="0" role="region" aria-label="Расход по периодам"><table id="consumption"><caption>Сумма расхода принятых показаний</caption><thead><tr><th scope="col">Период</th><th scope="col">Расход</th></tr></thead><tbody>${view.periods.map(
        (p) =>
          markup`<tr><th scope="row">${periodText(p.period)}</th><td class="num">${zoneValuesText(p.consumption) || '—'}</td></tr>`,
      )}</tbody></table></div>`
}
<h2>Переданные показания</h2>
${
  view.readings.length === 0
    ? markup`<p>Показаний за этот срок нет.</p>`
    : markup`<div class="table-wrap" tabindex="0" role="region" aria-label="Переданные показания"><table id="readings"><caption>Показания и решения по ним, сначала новые</caption><thead><tr><th scope="col">Снято</th><th scope="col">Показание</th><th scope="col">Расход</th><th scope="col">Период</th><th scope="col">Откуда</th><th scope="col">Решение</th></tr></thead><tbody>${view.readings.map(
        (r) =>
          markup`<tr data-submission="${r.submissionId}"><td>${dateTimeText(r.readAt)}</td><td class="num">${zoneValuesText(r.values)}</td><td class="num">${zoneValuesText(r.consumption) || '—'}</td><td>${r.billingPeriod ? periodText(r.billingPeriod) : '—'}</td><td>${CHANNEL_TEXTS[r.channel] ?? r.channel}</td><td>${decisionText(r)}</td></tr>`,
      )}</tbody></table></div>`
}`,
  );
}
