import { markup } from '../markup';
import { csrfField, flash, layout } from './layout.page';

/** The sign-in form; posts to /login with the form cookie's anti-forgery value, back to `next`. */
export function signInPage(view: {
  csrf: string;
  next: string;
  login: string;
  error: string | null;
}): string {
  return layout(
    { title: 'Вход', session: null },
    markup`<div class="login">
<h1>Вход для операторов</h1>
${flash('error', view.error)}
<form method="post" action="/login">${csrfField(view.csrf)}
<input type="hidden" name="next" value="${view.next}">
<label>Логин<input name="login" autocomplete="username" required maxlength="64" value="${view.login}"></label>
<label>Пароль<input name="password" type="password" autocomplete="current-password" required maxlength="256"></label>
<button type="submit">Войти</button>
</form>
<p class="muted">Учётную запись выдаёт администратор бэк-офиса.</p>
</div>`,
  );
}
