import type { AccountMetersDto } from '../../meters/account-meters.dto';
import { markup } from '../markup';
import { verificationName } from '../ru-texts';
import { layout, type PageFrame } from './layout.page';
import { moscowDateTime, resourceName, ruDate, zoneValues } from './view-helpers';

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
        ) => markup`<tr><td><a href="/meters/${encodeURIComponent(m.serial)}">${m.serial}</a></td><td>${resourceName(m.resource)}</td><td>${m.zones}</td>
<td>${ruDate(m.verificationDueOn)}</td><td>${verificationName(m)}</td>
<td>${m.lastAccepted ? `${zoneValues(m.lastAccepted.values)} (${moscowDateTime(m.lastAccepted.readAt)})` : '—'}</td></tr>`,
      )}</tbody></table>`
    : null;
  return layout(
    { title: 'Поиск', session: view.session, active: 'search' },
    markup`<h1>Поиск лицевого счёта или прибора</h1>
<form class="filters" method="get" action="/search">
<label>Лицевой счёт (10 цифр) или номер прибора<input name="q" value="${view.q}" required maxlength="32" autofocus${view.error ? markup` aria-invalid="true" aria-describedby="search-error"` : null}></label>
<button type="submit">Найти</button>
</form>
${view.error ? markup`<div class="flash error" id="search-error" role="alert">${view.error}</div>` : null}${meters}`,
  );
}
