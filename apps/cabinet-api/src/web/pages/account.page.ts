import { verificationReminderRu } from '@gw/domain';
import { markup, type SafeHtml } from '@gw/platform';
import type { AccountMetersDto, CabinetMeterDto } from '../../accounts/account.dto';
import {
  dateText,
  dateTimeText,
  periodText,
  VERIFICATION_TEXTS_RU,
  ZONE_TEXTS_RU,
  zoneValuesText,
} from '../page-texts';
import { serialInput, valueInput } from '../reading-form';
import { csrfField, errorSummary, type FieldErrors, field, flash, layout } from './layout.page';

/** The submission window of a meter and the period a reading made today counts for. */
function windowText(meter: CabinetMeterDto): SafeHtml {
  const w = meter.window;
  const state = w.open
    ? markup`приём открыт до ${dateText(w.closesOn)}`
    : markup`приём закрыт, откроется ${dateText(w.opensOn)}`;
  return markup`${dateText(w.opensOn)} — ${dateText(w.closesOn)} (${state}). Показания, переданные сегодня, будут учтены за <strong>${periodText(w.billingPeriod)}</strong>.`;
}

/** The register's shape as a hint: how many digits before and after the comma. */
function registerHint(meter: CabinetMeterDto): string {
  const fraction =
    meter.fractionDigits > 0
      ? `, после запятой — до ${meter.fractionDigits}`
      : ', без дробной части';
  return `До ${meter.integerDigits} цифр до запятой${fraction}.`;
}

/** The latest reminder of the meter's due date, as the e-mail told it. */
function reminderText(meter: CabinetMeterDto): SafeHtml | null {
  const [latest] = meter.reminders;
  if (!latest) return null;
  return markup`<p class="notice reminder">Напоминание от ${dateText(latest.publishedAt.slice(0, 10))}: ${verificationReminderRu(latest.daysLeft, latest.dueOn)}</p>`;
}

function lastValue(meter: CabinetMeterDto, zone: string): string | null {
  return meter.lastAccepted?.values.find((v) => v.zone === zone)?.value ?? null;
}

function meterCard(
  meter: CabinetMeterDto,
  index: number,
  accountNumber: string,
  typed: Record<string, string>,
  errors: FieldErrors,
): SafeHtml {
  const inputs = meter.acceptsReadings
    ? markup`<input type="hidden" name="${serialInput(index)}" value="${meter.serial}">${meter.zones.map(
        (zone) => {
          const name = valueInput(index, zone);
          const last = lastValue(meter, zone);
          return field({
            id: name,
            name,
            label: `${meter.resourceName}, ${meter.serial}${meter.zones.length > 1 ? `, зона ${ZONE_TEXTS_RU[zone] ?? zone}` : ''}`,
            value: typed[name] ?? '',
            error: errors[name],
            hint: `${registerHint(meter)} Прошлое принятое: ${last ?? 'нет'}.`,
            attrs: markup` inputmode="decimal" autocomplete="off" maxlength="24"`,
          });
        },
      )}`
    : markup`<p class="notice">Показания по этому счётчику не принимаются.</p>`;
  return markup`<fieldset class="meter" data-serial="${meter.serial}"><legend>${meter.resourceName} — счётчик ${meter.serial}</legend>
<dl class="facts">
<dt>Тарифные зоны</dt><dd>${meter.zones.map((z) => ZONE_TEXTS_RU[z] ?? z).join(', ')}</dd>
<dt>Поверка</dt><dd>${meter.verification.unfitSince ? `счётчик ${VERIFICATION_TEXTS_RU.unfit} с ${dateText(meter.verification.unfitSince)}` : `до ${dateText(meter.verification.dueOn)} (${VERIFICATION_TEXTS_RU[meter.verification.status as keyof typeof VERIFICATION_TEXTS_RU] ?? meter.verification.status})`}</dd>
<dt>Приём показаний</dt><dd>${windowText(meter)}</dd>
<dt>Последние принятые</dt><dd>${meter.lastAccepted ? `${zoneValuesText(meter.lastAccepted.values)} от ${dateTimeText(meter.lastAccepted.readAt)}` : 'нет'}</dd>
</dl>
${meter.verification.notice ? markup`<p class="notice">${meter.verification.notice}</p>` : null}
${reminderText(meter)}
${inputs}
<p><a href="/accounts/${accountNumber}/meters/${encodeURIComponent(meter.serial)}">История показаний счётчика ${meter.serial}</a></p>
</fieldset>`;
}

/**
 * One account: its meters with verification and window, and one form for the readings of all
 * of them, with the centre's guidance above it.
 */
export function accountPage(view: {
  csrf: string;
  account: AccountMetersDto;
  idempotencyKey: string;
  typed: Record<string, string>;
  errors: FieldErrors;
  error: string | null;
  notice: string | null;
}): string {
  const { account } = view;
  const accepting = account.meters.some((m) => m.acceptsReadings);
  return layout(
    { title: `Лицевой счёт ${account.accountNumber}`, csrf: view.csrf, signedIn: true },
    markup`<p><a href="/accounts">← Все лицевые счета</a></p>
<h1>Лицевой счёт ${account.accountNumber}</h1>
${flash('ok', view.notice)}
<section class="guidance" aria-labelledby="guidance-heading"><h2 id="guidance-heading">Как передать показания</h2><ul>
<li>Достаточно целой части — цифр до запятой. Дробную часть можно не вводить.</li>
<li>Показание не может быть меньше прошлого принятого.</li>
<li>Не перепутайте холодную и горячую воду: сверьте номер счётчика.</li>
</ul></section>
${errorSummary(view.errors, view.error)}
${
  account.meters.length === 0
    ? markup`<section class="card"><p>По этому лицевому счёту нет счётчиков.</p></section>`
    : markup`<form method="post" action="/accounts/${account.accountNumber}/readings" novalidate>${csrfField(view.csrf)}
<input type="hidden" name="_key" value="${view.idempotencyKey}">
${account.meters.map((m, i) => meterCard(m, i, account.accountNumber, view.typed, view.errors))}
${accepting ? markup`<button type="submit" id="submit-readings">Передать показания</button>` : null}
</form>`
}`,
  );
}
