import type { AccountMetersDto } from '../../meters/account-meters.dto';
import { markup } from '../markup';
import { VERIFICATION_NAMES } from '../ru-texts';
import { flash, layout, type PageFrame } from './layout.page';
import { moscowDateTime, zoneValues } from './view-helpers';

/** Search by account number (10 digits) or meter serial; an account lists its meters. */
export function searchPage(view: {
  session: NonNullable<PageFrame['session']>;
  q: string;
  account: AccountMetersDto | null;
  error: string | null;
}): string {
  const { account } = view;
  const meters = account
    ? markup`<h2>Лицевой счёт ${account.accountNumber}</h2>
<table id="meters"><thead><tr><th>Прибор</th><th>Ресурс</th><th>Зон</th><th>Поверка до</th><th>Статус поверки</th><th>Последнее принятое</th></tr></thead>
<tbody>${account.meters.map(
        (
          m,
        ) => markup`<tr><td><a href="/meters/${encodeURIComponent(m.serial)}">${m.serial}</a></td><td>${m.resource}</td><td>${m.zones}</td>
<td>${m.verificationDueOn}</td><td>${VERIFICATION_NAMES[m.verificationStatus]}</td>
<td>${m.lastAccepted ? `${zoneValues(m.lastAccepted.values)} (${moscowDateTime(m.lastAccepted.readAt)})` : '—'}</td></tr>`,
      )}</tbody></table>`
    : null;
  return layout(
    { title: 'Поиск', session: view.session, active: 'search' },
    markup`<h1>Поиск лицевого счёта или прибора</h1>
<form class="filters" method="get" action="/search">
<label>Лицевой счёт (10 цифр) или номер прибора<input name="q" value="${view.q}" required maxlength="32" autofocus></label>
<button type="submit">Найти</button>
</form>
${flash('error', view.error)}${meters}`,
  );
}
