import type { AccountMeterDto } from '../../meters/account-meters.dto';
import type { MeterReadingsDto } from '../../meters/meter-readings.dto';
import { toMoscowIso, VERIFICATION_INTERVAL_MONTHS } from '@gw/domain';
import type { VerificationHistoryEntry } from '@gw/persistence';
import { markup } from '../markup';
import { VERIFICATION_SOURCE_NAMES, verificationName } from '../ru-texts';
import type { RefusedForm } from '../web-forms';
import { csrfField, flash, formField, layout, type PageFrame } from './layout.page';
import {
  channelName,
  moscowDateTime,
  reasonList,
  resourceName,
  ruDate,
  ruPeriod,
  statusTag,
  zoneValues,
} from './view-helpers';

/**
 * A meter with its readings of the last 12 months; supervisors also record a verification here and
 * ask for the readings rejected for the expired one to be decided again.
 */
export function meterPage(view: {
  session: NonNullable<PageFrame['session']>;
  meter: AccountMeterDto;
  readings: MeterReadingsDto;
  verifications: VerificationHistoryEntry[];
  /** Null when the operator may not record verifications. */
  revalidatable: number | null;
  notice: string | null;
  error: string | null;
  /** The verification form sent back refused. */
  refused?: RefusedForm;
}): string {
  const { meter, readings, session } = view;
  const field = (name: string) => formField(view.refused ?? null, 'verification', name);
  const [verifiedOn, intervalMonths, certificateNo] = [
    'verifiedOn',
    'intervalMonths',
    'certificateNo',
  ].map(field);
  const path = `/meters/${encodeURIComponent(meter.serial)}`;
  const supervisorTools =
    view.revalidatable === null
      ? null
      : markup`<div class="actions">
<section class="card"><h2>Новая поверка</h2>
<form method="post" action="${path}/verifications" id="verification-form">${csrfField(session.csrf)}
<label>Дата поверки<input id="${verifiedOn.id}" name="verifiedOn" type="date" required value="${verifiedOn.value ?? ''}"${verifiedOn.attrs}></label>
${verifiedOn.message}
<label>Межповерочный интервал, мес.<input id="${intervalMonths.id}" name="intervalMonths" type="number" min="${VERIFICATION_INTERVAL_MONTHS.min}" max="${VERIFICATION_INTERVAL_MONTHS.max}" required value="${intervalMonths.value ?? '72'}"${intervalMonths.attrs}></label>
${intervalMonths.message}
<label>Номер свидетельства<input id="${certificateNo.id}" name="certificateNo" required maxlength="64" value="${certificateNo.value ?? ''}"${certificateNo.attrs}></label>
${certificateNo.message}
<button type="submit">Записать поверку</button>
</form></section>
<section class="card"><h2>Перепроверка показаний</h2>
<p>Показания, которые записи о поверке теперь решают иначе (отклонённые только из-за просроченной поверки или записи «непригоден», когда их покрывает новая поверка, и принятые или на проверке после записи «непригоден»): <strong id="revalidatable">${view.revalidatable}</strong>.</p>
<form method="post" action="${path}/revalidate">${csrfField(session.csrf)}${
          view.revalidatable === 0
            ? markup`<button type="submit" disabled aria-describedby="revalidate-why">Проверить заново</button>
<p class="muted" id="revalidate-why">Перепроверять нечего: нет показаний, которые записи о поверке решают иначе, — новая проверка ничего бы не изменила.</p>`
            : markup`<button type="submit">Проверить заново</button>`
        }</form>
</section></div>`;
  return layout(
    { title: `Прибор ${meter.serial}`, session, active: 'search' },
    markup`<h1>Прибор учёта ${meter.serial}</h1>
${flash('ok', view.notice)}${flash('error', view.error)}
<section class="card"><dl class="facts">
<dt>Лицевой счёт</dt><dd><a href="/search?q=${readings.accountNumber}">${readings.accountNumber}</a></dd>
<dt>Ресурс</dt><dd>${resourceName(meter.resource)}, зон: ${meter.zones}, разрядность ${meter.integerDigits}+${meter.fractionDigits}</dd>
<dt>Установлен</dt><dd>${ruDate(meter.installedOn)}${meter.decommissionedOn ? `, снят ${ruDate(meter.decommissionedOn)}` : ''}</dd>
<dt>Поверка</dt><dd>${ruDate(meter.verifiedOn)} — до ${ruDate(meter.verificationDueOn)} (${verificationName(meter)})</dd>
<dt>Последнее принятое</dt><dd>${meter.lastAccepted ? `${zoneValues(meter.lastAccepted.values)} от ${moscowDateTime(meter.lastAccepted.readAt)}` : '—'}</dd>
</dl></section>
<h2>Поверки</h2>
<form method="post" action="${path}/arshin" id="arshin-form">${csrfField(session.csrf)}<button type="submit">Запросить во ФГИС «Аршин»</button></form>
<table id="verifications"><caption class="visually-hidden">Поверки прибора ${meter.serial}, последние первыми</caption>
<thead><tr><th scope="col">Дата поверки</th><th scope="col">Действует до</th><th scope="col">Результат</th><th scope="col">Источник</th><th scope="col">Запись ФГИС «Аршин»</th><th scope="col">Организация</th><th scope="col">Документ</th><th scope="col">Записано</th></tr></thead>
<tbody>${view.verifications.map(
      (
        v,
      ) => markup`<tr><td>${ruDate(v.verifiedOn)}</td><td>${v.dueOn ? ruDate(v.dueOn) : '—'}</td><td>${v.applicable ? 'пригоден' : 'непригоден'}</td><td>${VERIFICATION_SOURCE_NAMES[v.source]}</td>
<td>${v.vriId ?? '—'}</td><td>${v.orgTitle ?? '—'}</td><td>${v.resultDocnum ?? v.certificateNo ?? '—'}</td><td>${v.recordedBy}, ${moscowDateTime(toMoscowIso(v.recordedAt))}</td></tr>`,
    )}</tbody></table>
${supervisorTools}
<h2>Показания с периода «${ruPeriod(readings.from)}»</h2>
<table id="readings"><thead><tr><th>Снято</th><th>Канал</th><th>Период</th><th>Показание</th><th>Расход</th><th>Статус</th><th>Причины</th></tr></thead>
<tbody>${readings.readings.map(
      (
        r,
      ) => markup`<tr><td>${moscowDateTime(r.readAt)}</td><td>${channelName(r.channel)}</td><td>${ruPeriod(r.billingPeriod)}</td>
<td>${zoneValues(r.values)}</td><td>${zoneValues(r.consumption)}</td><td>${r.status === 'needs_review' ? markup`<a href="/review/${r.submissionId}">${statusTag(r.status)}</a>` : statusTag(r.status)}</td><td>${reasonList(r.reasons)}</td></tr>`,
    )}</tbody></table>`,
  );
}
