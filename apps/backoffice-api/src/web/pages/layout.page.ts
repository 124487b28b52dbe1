import type { OperatorPrincipal } from '../../auth/operator-tokens';
import { hasRole } from '../../auth/operator-role';
import { htmlDocument } from '@gw/platform';
import { markup, type SafeHtml } from '../markup';
import { ROLE_NAMES } from '../ru-texts';
import type { RefusedForm } from '../web-forms';

export interface PageFrame {
  title: string;
  /** The signed-in operator and this session's form token; null on the sign-in page. */
  session: { operator: OperatorPrincipal; csrf: string } | null;
  active?: 'queue' | 'search' | 'estimates' | 'dashboard' | 'audit';
}

/** A hidden field with the session's anti-forgery value, for every POST form. */
export const csrfField = (csrf: string) =>
  markup`<input type="hidden" name="_csrf" value="${csrf}">`;

/** Every page: the header with navigation and the operator, then the page's content. */
export function layout(frame: PageFrame, content: SafeHtml): string {
  const { session } = frame;
  const link = (href: string, key: PageFrame['active'], text: string) =>
    markup`<a href="${href}" class="${frame.active === key ? 'active' : ''}"${frame.active === key ? markup` aria-current="page"` : null}>${text}</a>`;
  const header = session
    ? markup`<header class="top">
<span class="brand">Бэк-офис показаний</span>
<nav aria-label="Разделы">${link('/', 'queue', 'Очередь проверки')}${link('/search', 'search', 'Поиск')}${link('/estimates', 'estimates', 'Без показаний')}${
        hasRole(session.operator.role, 'supervisor')
          ? link('/dashboard', 'dashboard', 'Статистика каналов')
          : null
      }${hasRole(session.operator.role, 'admin') ? link('/audit', 'audit', 'Журнал действий') : null}</nav>
<span class="who">${session.operator.login} · ${ROLE_NAMES[session.operator.role]}</span>
<form method="post" action="/logout">${csrfField(session.csrf)}<button type="submit">Выйти</button></form>
</header>`
    : null;
  return htmlDocument(
    `${frame.title} — бэк-офис показаний`,
    '/assets/backoffice.css',
    markup`${header}
<main>${content}</main>`,
  );
}

/** The reason a field was refused, next to it; the field names it in aria-describedby. */
export function fieldError(id: string, text: string | undefined): SafeHtml | null {
  return text ? markup`<p class="field-error" id="${id}" role="alert">${text}</p>` : null;
}

/** The attributes of a refused field: marked invalid and tied to its message (see fieldError). */
export function invalidAttrs(errorId: string, error: string | undefined): SafeHtml | null {
  return error ? markup` aria-invalid="true" aria-describedby="${errorId}"` : null;
}

/**
 * A field of the form `form` (ids `<form>-<field>`), with what the operator typed, its marks and
 * its message when that form came back refused. A field sent more than once comes back empty, so
 * neither of its values is taken for the one meant.
 */
export function formField(refused: RefusedForm | null, form: string, field: string) {
  const mine = refused?.name === form ? refused : null;
  const id = `${form}-${field}`;
  const error = mine?.errors[field];
  const typed = mine?.given[field];
  return {
    id,
    value: typed === undefined || typeof typed === 'string' ? typed : '',
    attrs: invalidAttrs(`${id}-error`, error),
    message: fieldError(`${id}-error`, error),
  };
}

/** A notice above the page: what just happened, or why a form was refused. */
export function flash(kind: 'ok' | 'error', text: string | null): SafeHtml | null {
  return text
    ? markup`<div class="flash ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</div>`
    : null;
}
