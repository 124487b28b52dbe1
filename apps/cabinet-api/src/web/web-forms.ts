import { ACCOUNT_NUMBER, canonicalAmount, canonicalEmail, canonicalPhone } from '@gw/domain';
import type { PaymentDocument } from '../registration/payment-document-check.service';
import type { FieldErrors } from './pages/layout.page';

type Form = Record<string, unknown>;

/** A parsed form: its value, or the Russian message of each field that is wrong. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** What the resident typed, trimmed and whole: what a form checks. Not text (sent twice): ''. */
function given(form: Form, field: string): string {
  const value = form[field];
  return typeof value === 'string' ? value.trim() : '';
}

/** What the resident typed, to show again in a refused form: trimmed, at most `max` characters. */
export function typed(form: Form, field: string, max = 200): string {
  return given(form, field).slice(0, max);
}

const withoutSpaces = (text: string) => text.replace(/[\s\u00a0]/g, '');

/**
 * The payment-document fields (registration and linking). `periods` are the documents that can
 * prove an account today (the last three issued), offered as a list.
 */
export function paymentDocumentForm(form: Form, periods: string[]): Parsed<PaymentDocument> {
  const errors: FieldErrors = {};
  const accountNumber = withoutSpaces(given(form, 'accountNumber'));
  if (!ACCOUNT_NUMBER.test(accountNumber))
    errors.accountNumber = 'Номер лицевого счёта — 10 цифр, как в платёжном документе (ЕПД).';
  const period = given(form, 'period');
  if (!periods.includes(period))
    errors.period = 'Выберите месяц одного из трёх последних платёжных документов.';
  const amountCharged = canonicalAmount(withoutSpaces(given(form, 'amountCharged')));
  if (amountCharged === null)
    errors.amountCharged =
      'Сумма — в рублях, как в строке «Итого начислено»: например, 4598,70 (не больше двух цифр копеек).';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { accountNumber, period, amountCharged: amountCharged as string } };
}

export interface RegistrationForm extends PaymentDocument {
  email: string;
  phone: string;
}

/** The registration form: a payment document, an e-mail and a phone. */
export function registrationForm(form: Form, periods: string[]): Parsed<RegistrationForm> {
  const document = paymentDocumentForm(form, periods);
  const errors: FieldErrors = document.ok ? {} : { ...document.errors };
  const email = emailOf(form);
  if (email === null) errors.email = EMAIL_ERROR;
  const phone = canonicalPhone(given(form, 'phone'));
  if (phone === null) errors.phone = 'Телефон — например, +7 916 123-45-67 или 8 (916) 123-45-67.';
  if (!document.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { ...document.value, email: email as string, phone: phone as string } };
}

const EMAIL_ERROR = 'Введите адрес электронной почты, например ivanova@example.ru.';

const emailOf = (form: Form) => canonicalEmail(given(form, 'email'));

/** The sign-in form: the e-mail a code is sent to. */
export function signInForm(form: Form): Parsed<{ email: string }> {
  const email = emailOf(form);
  return email === null
    ? { ok: false, errors: { email: EMAIL_ERROR } }
    : { ok: true, value: { email } };
}

/** A code form: the six digits from the e-mail (spaces a phone may insert are ignored). */
export function codeForm(form: Form): Parsed<{ code: string }> {
  const code = withoutSpaces(given(form, 'code'));
  return /^\d{6}$/.test(code)
    ? { ok: true, value: { code } }
    : { ok: false, errors: { code: 'Код — 6 цифр из письма.' } };
}
