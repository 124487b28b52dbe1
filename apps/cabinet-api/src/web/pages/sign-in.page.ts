import { markup } from '@gw/platform';
import { csrfField, errorSummary, type FieldErrors, field, flash, layout } from './layout.page';

/** Sign-in, step one: the e-mail a code is sent to. */
export function signInPage(view: {
  csrf: string;
  email: string;
  /** The page to open after sign-in. */
  next: string;
  errors: FieldErrors;
  notice: string | null;
}): string {
  return layout(
    { title: 'Вход', csrf: view.csrf, signedIn: false },
    markup`<h1>Вход в личный кабинет</h1>
${flash('ok', view.notice)}${errorSummary(view.errors)}
<section class="card"><form class="stack" method="post" action="/login" novalidate>${csrfField(view.csrf)}
<input type="hidden" name="next" value="${view.next}">
${field({
  id: 'email',
  name: 'email',
  label: 'Электронная почта',
  type: 'email',
  value: view.email,
  error: view.errors.email,
  hint: 'Пришлём на неё код для входа.',
  attrs: markup` autocomplete="email" maxlength="254" required`,
})}
<button type="submit">Получить код</button>
</form></section>
<p>Ещё нет кабинета? <a href="/register">Зарегистрируйтесь</a> по платёжному документу (ЕПД).</p>`,
  );
}

/**
 * Step two of sign-in or registration: the 6-digit code from the e-mail. `hidden` carries what
 * the step needs (the e-mail for sign-in); the action path carries the registration.
 */
export function codePage(view: {
  csrf: string;
  title: string;
  action: string;
  sentTo: string | null;
  hidden: Record<string, string>;
  errors: FieldErrors;
  error: string | null;
  again: { href: string; text: string };
}): string {
  return layout(
    { title: view.title, csrf: view.csrf, signedIn: false },
    markup`<h1>${view.title}</h1>
<p role="status">${view.sentTo ? markup`Мы отправили код на <strong>${view.sentTo}</strong>.` : 'Мы отправили код на вашу почту.'} Код действует 10 минут.</p>
${errorSummary(view.errors, view.error)}
<section class="card"><form class="stack" method="post" action="${view.action}" novalidate>${csrfField(view.csrf)}
${Object.entries(view.hidden).map(([name, value]) => markup`<input type="hidden" name="${name}" value="${value}">`)}
${field({
  id: 'code',
  name: 'code',
  label: 'Код из письма',
  value: '',
  error: view.errors.code,
  hint: '6 цифр.',
  attrs: markup` inputmode="numeric" autocomplete="one-time-code" maxlength="12" required`,
})}
<button type="submit">Подтвердить</button>
</form></section>
<p>Письма нет? Проверьте папку «Спам» или <a href="${view.again.href}">${view.again.text}</a>.</p>`,
  );
}
