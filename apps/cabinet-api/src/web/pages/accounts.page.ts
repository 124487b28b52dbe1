import { markup } from '@gw/platform';
import { dateTimeText } from '../page-texts';
import { type DocumentValues, documentFields } from './document-fields';
import { csrfField, errorSummary, type FieldErrors, flash, layout } from './layout.page';

/** The resident's linked accounts, and the form that links one more by its payment document. */
export function accountsPage(view: {
  csrf: string;
  accounts: { accountNumber: string; linkedAt: string }[];
  values: DocumentValues;
  periods: string[];
  errors: FieldErrors;
  error: string | null;
  notice: string | null;
}): string {
  return layout(
    { title: 'Лицевые счета', csrf: view.csrf, signedIn: true },
    markup`<h1>Мои лицевые счета</h1>
${flash('ok', view.notice)}
<ul class="accounts" id="accounts">${view.accounts.map(
      (a) =>
        markup`<li><a href="/accounts/${a.accountNumber}"><strong>Лицевой счёт ${a.accountNumber}</strong></a><br><span class="muted">Добавлен ${dateTimeText(a.linkedAt)}</span></li>`,
    )}</ul>
<h2 id="link-heading">Добавить лицевой счёт</h2>
<p>Если вы платите и за другую квартиру, добавьте её лицевой счёт по одному из трёх последних платёжных документов (ЕПД).</p>
${errorSummary(view.errors, view.error)}
<section class="card"><form class="stack" method="post" action="/accounts" aria-labelledby="link-heading" novalidate>${csrfField(view.csrf)}
${documentFields(view.values, view.errors, view.periods)}
<button type="submit">Добавить счёт</button>
</form></section>`,
  );
}
