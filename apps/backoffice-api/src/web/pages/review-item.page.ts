import { ZONES } from '@gw/contracts';
import { OPERATOR_REJECTION_CODES } from '@gw/domain';
import type { ReviewItemDetailDto } from '../../review/review.dto';
import { hasRole } from '../../auth/operator-role';
import { markup } from '../markup';
import { CHANNEL_NAMES, reasonText, verificationName } from '../ru-texts';
import type { RefusedForm } from '../web-forms';
import { csrfField, flash, formField, layout, type PageFrame } from './layout.page';
import {
  moscowDateTime,
  reasonList,
  resourceName,
  ruDate,
  ruPeriod,
  statusTag,
  warningList,
  zoneValues,
} from './view-helpers';

const ZONES_OF = (zones: number) => ZONES.slice(0, zones);

/**
 * One review item: the reading beside its scanned slip, the meter and its recent history, and
 * the operator's actions (take, give back, approve with or without corrections, approve a
 * suspected swap of cold and hot water for the other water meter, reject).
 */
export function reviewItemPage(view: {
  session: NonNullable<PageFrame['session']>;
  item: ReviewItemDetailDto;
  notice: string | null;
  error: string | null;
  /** The decision form sent back refused: `approve`, `swap` or `reject`. */
  refused?: RefusedForm;
}): string {
  const { item, session } = view;
  const refused = view.refused ?? null;
  const comment = (form: string) => {
    const f = formField(refused, form, 'comment');
    return markup`<label>Комментарий<textarea id="${f.id}" name="comment" required maxlength="1000"${f.attrs}>${f.value ?? ''}</textarea></label>
${f.message}`;
  };
  const { operator, csrf } = session;
  const action = (path: string) => `/review/${item.submissionId}/${path}`;
  const open = item.status === 'needs_review';
  const mine = item.claim?.by === operator.login;
  const heldByOther = item.claim !== null && !mine;
  const given = ZONES.filter((z) => item.values.some((v) => v.zone === z));
  const zones = item.meter ? ZONES_OF(item.meter.zones) : given;
  // Values of zones the meter no longer has (or lacking one it has now) are not its reading: the
  // fields start empty, so an untouched approval is refused rather than stored as a correction.
  const zonesChanged = given.join() !== zones.join();
  const submitted = new Map(zonesChanged ? [] : item.values.map((v) => [v.zone, v.value]));
  // A refused reject form keeps its reason: shown reset, the next press would reject for the
  // review reasons instead of the one the operator chose.
  const reason = formField(refused, 'reject', 'reason').value;

  const claimControls = !open
    ? null
    : item.claim
      ? markup`<p>В работе у <strong>${item.claim.by}</strong> до ${moscowDateTime(item.claim.until)}.</p>${
          mine || hasRole(operator.role, 'supervisor')
            ? markup`<form class="inline" method="post" action="${action('release')}">${csrfField(csrf)}<button class="secondary" type="submit">Вернуть в очередь</button></form>`
            : null
        }`
      : markup`<form class="inline" method="post" action="${action('claim')}">${csrfField(csrf)}<button type="submit" id="claim">Взять в работу</button></form>`;

  const decisionForms =
    open && !heldByOther
      ? markup`<div class="actions">
<section class="card"><h2>Принять</h2>
<form method="post" action="${action('approve')}" id="approve-form">${csrfField(csrf)}
${zonesChanged ? markup`<p class="muted" id="zones-changed">Показание передано по зонам ${given.join(', ')}, а у прибора теперь зон: ${zones.length}. Введите показание по зонам прибора или отклоните.</p>` : null}
${zones.map((z) => {
  const f = formField(refused, 'approve', z);
  return markup`<label>Показание ${z}<input id="${f.id}" name="${z}" value="${f.value ?? submitted.get(z) ?? ''}" inputmode="decimal" maxlength="25"${f.attrs}></label>
${f.message}`;
})}
<p class="muted">Исправленные значения проверяются правилами заново.</p>
${comment('approve')}
<button type="submit" id="approve">Принять показание</button>
</form></section>
${
  item.reasons.includes('SUSPECTED_SWAP')
    ? markup`<section class="card"><h2>Перепутаны ХВС и ГВС</h2>
<form method="post" action="${action('approve-swapped')}" id="swap-form">${csrfField(csrf)}
${item.swapCounterpart ? markup`<p>Другой счётчик воды: <a href="/meters/${encodeURIComponent(item.swapCounterpart.serial)}">${item.swapCounterpart.serial}</a> (${resourceName(item.swapCounterpart.resource)}), последнее принятое ${item.swapCounterpart.lastAccepted ? `${zoneValues(item.swapCounterpart.lastAccepted.values)} от ${moscowDateTime(item.swapCounterpart.lastAccepted.readAt)}` : '—'}.</p>` : null}
<p class="muted">Показание переносится на другой счётчик воды этого лицевого счёта и проверяется правилами для него; показание того счётчика за этот период, если оно тоже на проверке с этой причиной, переносится на этот.</p>
${comment('swap')}
<button type="submit" id="approve-swapped">Принять с заменой ХВС/ГВС</button>
</form></section>`
    : null
}
<section class="card"><h2>Отклонить</h2>
<form method="post" action="${action('reject')}" id="reject-form">${csrfField(csrf)}
<label>Причина<select name="reason"><option value="">подтвердить: ${item.reasons.map(reasonText).join(', ')}</option>${OPERATOR_REJECTION_CODES.map((c) => markup`<option value="${c}"${c === reason ? markup` selected` : null}>${reasonText(c)}</option>`)}</select></label>
${comment('reject')}
<button class="danger" type="submit" id="reject">Отклонить показание</button>
</form></section>
</div>`
      : null;

  // Served by the back office itself (the CSP allows images from this origin only).
  const slipImage = `/review/${item.submissionId}/slip-image`;
  const slipFigure = item.hasImage
    ? markup`<figure class="slip" id="slip-image"><a href="${slipImage}"><img src="${slipImage}" alt="Скан квитанции ${item.imageRef ?? ''}"></a>
<figcaption>Скан квитанции; нажмите, чтобы открыть в полном размере.</figcaption></figure>`
    : null;

  const decision = item.decision
    ? markup`<section class="card" id="decision"><h2>Решение оператора</h2><dl class="facts">
<dt>Решение</dt><dd>${item.decision.decision === 'approved' ? 'принято' : 'отклонено'}</dd>
<dt>Оператор</dt><dd>${item.decision.decidedBy}, ${moscowDateTime(item.decision.decidedAt)}</dd>
<dt>Комментарий</dt><dd>${item.decision.comment}</dd>
<dt>Было на проверке</dt><dd>${reasonList(item.decision.reviewReasons)}</dd>
<dt>Передано</dt><dd>${zoneValues(item.decision.submittedValues)}</dd>
${item.decision.correctedValues ? markup`<dt>Исправлено</dt><dd>${zoneValues(item.decision.correctedValues)}</dd>` : null}
${item.decision.swappedFromSerial ? markup`<dt>Замена ХВС/ГВС</dt><dd>передано для прибора ${item.decision.swappedFromSerial}, принято для ${item.meterSerial}</dd>` : null}
</dl></section>`
    : null;

  const meter = item.meter
    ? markup`<dl class="facts">
<dt>Прибор</dt><dd><a href="/meters/${encodeURIComponent(item.meter.serial)}">${item.meter.serial}</a>, ${resourceName(item.meter.resource)}, зон: ${item.meter.zones}, разрядность ${item.meter.integerDigits}+${item.meter.fractionDigits}</dd>
<dt>Поверка</dt><dd>${ruDate(item.meter.verifiedOn)} — до ${ruDate(item.meter.verificationDueOn)} (${verificationName(item.meter)})</dd>
<dt>Последнее принятое</dt><dd>${item.meter.lastAccepted ? `${zoneValues(item.meter.lastAccepted.values)} от ${moscowDateTime(item.meter.lastAccepted.readAt)}` : '—'}</dd>
</dl>`
    : markup`<p>Прибора нет в реестре.</p>`;

  const history = markup`<table id="history"><thead><tr><th>Снято</th><th>Канал</th><th>Период</th><th>Показание</th><th>Расход</th><th>Статус</th><th>Причины</th></tr></thead><tbody>${item.history.map(
    (r) => markup`<tr class="${r.submissionId === item.submissionId ? 'current' : ''}">
<td>${moscowDateTime(r.readAt)}</td><td>${CHANNEL_NAMES[r.channel as keyof typeof CHANNEL_NAMES] ?? r.channel}</td><td>${ruPeriod(r.billingPeriod)}</td>
<td>${zoneValues(r.values)}</td><td>${zoneValues(r.consumption)}</td><td>${statusTag(r.status)}</td><td>${reasonList(r.reasons)}</td></tr>`,
  )}</tbody></table>`;

  return layout(
    { title: `Показание ${item.meterSerial}`, session, active: 'queue' },
    markup`<p><a href="/">← к очереди</a></p>
<h1>Показание прибора ${item.meterSerial} ${statusTag(item.status)}</h1>
${flash('ok', view.notice)}${flash('error', view.error)}
<section class="card${item.hasImage ? ' with-slip' : ''}" id="reading"><dl class="facts">
<dt>Лицевой счёт</dt><dd>${item.accountNumber}</dd>
<dt>Канал</dt><dd>${CHANNEL_NAMES[item.channel as keyof typeof CHANNEL_NAMES] ?? item.channel}</dd>
<dt>Показание</dt><dd><strong>${zoneValues(item.values)}</strong></dd>
<dt>Расход с прошлого</dt><dd>${zoneValues(item.consumption) || '—'}</dd>
<dt>Причины проверки</dt><dd>${reasonList(item.reasons)}</dd>
${item.warnings.length > 0 ? markup`<dt>Предупреждения</dt><dd>${warningList(item.warnings)}</dd>` : null}
<dt>Период</dt><dd>${ruPeriod(item.billingPeriod)}</dd>
<dt>Снято / получено</dt><dd>${moscowDateTime(item.readAt)} / ${moscowDateTime(item.receivedAt)}</dd>
${item.confidence !== null ? markup`<dt>Уверенность распознавания</dt><dd>${item.confidence}</dd>` : null}
${item.channel === 'paper-slip' ? markup`<dt>Скан квитанции</dt><dd id="image-ref">${item.imageRef ?? 'нет ссылки на изображение'}</dd>` : null}
<dt>Идентификатор</dt><dd class="muted">${item.submissionId}</dd>
</dl>${claimControls}${slipFigure}</section>
${decision}${decisionForms}
<h2>Прибор учёта</h2><section class="card">${meter}</section>
<h2>История показаний за 12 месяцев</h2>${history}`,
  );
}
