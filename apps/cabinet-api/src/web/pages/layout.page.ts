import { htmlDocument, markup, type SafeHtml } from '@gw/platform';

export interface PageFrame {
  title: string;
  /** The anti-forgery value of this visitor's forms (session or pre-session). */
  csrf: string;
  /** True once signed in: the header offers the accounts and sign-out. */
  signedIn: boolean;
}

/** A hidden field with the anti-forgery value, for every POST form. */
export const csrfField = (csrf: string) =>
  markup`<input type="hidden" name="_csrf" value="${csrf}">`;

/** Every page: a skip link, the header, then the page's content in <main>. */
export function layout(frame: PageFrame, content: SafeHtml): string {
  const nav = frame.signedIn
    ? markup`<nav aria-label="Кабинет"><a href="/accounts">Мои лицевые счета</a></nav>
<form method="post" action="/logout">${csrfField(frame.csrf)}<button type="submit" id="sign-out">Выйти</button></form>`
    : markup`<nav aria-label="Вход"><a href="/login">Вход</a> · <a href="/register">Регистрация</a></nav>`;
  return htmlDocument(
    `${frame.title} — личный кабинет`,
    '/assets/cabinet.css',
    markup`<a class="skip" href="#content">Перейти к содержанию</a>
<header class="top"><span class="brand">Личный кабинет: показания счётчиков</span>${nav}</header>
<main id="content">${content}</main>`,
  );
}

/** A notice above the page: what just happened (a status), or why a form was refused (an alert). */
export function flash(kind: 'ok' | 'error', text: string | null): SafeHtml | null {
  return text
    ? markup`<div class="flash ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</div>`
    : null;
}

/** Messages of a refused form, keyed by the id of the input each belongs to ('' for the form). */
export type FieldErrors = Record<string, string>;

/**
 * The summary at the top of a refused form: announced at once (role=alert), each message a link
 * to its field, so keyboard and screen-reader users reach the field to correct.
 */
export function errorSummary(errors: FieldErrors, general: string | null = null): SafeHtml | null {
  const fields = Object.entries(errors).filter(([id]) => id !== '');
  const top = general ?? errors[''] ?? null;
  if (!top && fields.length === 0) return null;
  return markup`<div class="flash error" role="alert" id="form-errors">${
    top ? markup`<p>${top}</p>` : markup`<p>Исправьте ошибки в форме:</p>`
  }${fields.length > 0 ? markup`<ul>${fields.map(([id, text]) => markup`<li><a href="#${id}">${text}</a></li>`)}</ul>` : null}</div>`;
}

export interface FieldSpec {
  id: string;
  name: string;
  label: string;
  value: string;
  error?: string;
  hint?: string | SafeHtml;
  type?: string;
  /** Extra attributes, already safe (inputmode, autocomplete, maxlength). */
  attrs?: SafeHtml;
}

/** A labelled input whose hint and error are tied to it (aria-describedby, aria-invalid). */
export function field(spec: FieldSpec): SafeHtml {
  const hintId = spec.hint ? `${spec.id}-hint` : null;
  const errorId = spec.error ? `${spec.id}-error` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  return markup`<div class="field"><label for="${spec.id}">${spec.label}</label>${
    spec.hint ? markup`<span class="hint" id="${hintId}">${spec.hint}</span>` : null
  }${spec.error ? markup`<span class="field-error" id="${errorId}">${spec.error}</span>` : null}<input id="${spec.id}" name="${spec.name}" type="${spec.type ?? 'text'}" value="${spec.value}"${
    describedBy ? markup` aria-describedby="${describedBy}"` : null
  }${spec.error ? markup` aria-invalid="true"` : null}${spec.attrs ?? null}></div>`;
}
