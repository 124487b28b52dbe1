import { markup } from '@gw/platform';
import { type DocumentValues, documentFields } from './document-fields';
import { csrfField, errorSummary, type FieldErrors, field, layout } from './layout.page';

/** Registration: the details of a payment document (ЕПД), an e-mail and a phone. */
export function registerPage(view: {
  csrf: string;
  values: DocumentValues & { email: string; phone: string };
  periods: string[];
  errors: FieldErrors;
  error: string | null;
}): string {
  const { values, errors } = view;
  return layout(
    { title: 'Регистрация', csrf: view.csrf, signedIn: false },
    markup`<h1>Регистрация в личном кабинете</h1>
<p>Возьмите один из трёх последних платёжных документов (ЕПД): по нему мы убедимся, что лицевой счёт ваш.</p>
${errorSummary(errors, view.error)}
<section class="card"><form class="stack" method="post" action="/register" novalidate>${csrfField(view.csrf)}
${documentFields(values, errors, view.periods)}
${field({
  id: 'email',
  name: 'email',
  label: 'Электронная почта',
  type: 'email',
  value: values.email,
  error: errors.email,
  hint: 'На неё придёт код подтверждения, по ней же вы будете входить.',
  attrs: markup` autocomplete="email" maxlength="254" required`,
})}
${field({
  id: 'phone',
  name: 'phone',
  label: 'Телефон',
  type: 'tel',
  value: values.phone,
  error: errors.phone,
  hint: 'Например, +7 916 123-45-67.',
  attrs: markup` autocomplete="tel" maxlength="30" required`,
})}
<button type="submit">Зарегистрироваться</button>
</form></section>
<p>Уже зарегистрированы? <a href="/login">Войдите</a>.</p>`,
  );
}
