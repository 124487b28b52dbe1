import {
  CHANNELS,
  isUuid,
  normaliseDecimal,
  type ReasonCode,
  REVIEW_CODES,
  ZONES,
} from '@gw/contracts';
import {
  addPeriods,
  type CalendarDate,
  daysBetween,
  formatPeriod,
  isPeriod,
  isValidDate,
  OPERATOR_REJECTION_CODES,
  plainNumber,
  VERIFICATION_INTERVAL_MONTHS,
} from '@gw/domain';
import { AUDIT_ENTRY_ID } from '../audit/audit.dto';
import { BackofficeError } from '../backoffice.errors';
import { MAX_BULK_ITEMS } from '../review/decide-review-items.use-case';
import { MAX_AGE_HOURS } from '../review/review.dto';
import type { QueueFilters } from './pages/review-queue.page';
import { type FilterReading, QueryFields, REPEATED_FIELD } from './query-fields';

/** A form the browser should not have sent (fields missing, too long, malformed). */
export class WebFormError extends BackofficeError {
  constructor(message: string) {
    super('BAD_FORM', message);
  }
}

type Form = Record<string, unknown>;

function text(form: Form, field: string, max: number): string {
  const value = form[field];
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max)
    throw new WebFormError(`${field} must be 1 to ${max} characters`);
  return value.trim();
}

/** The sign-in form. */
export function signInForm(form: Form): { login: string; password: string } {
  const password = form.password;
  if (typeof password !== 'string' || password.length === 0 || password.length > 256)
    throw new WebFormError('password must be 1 to 256 characters');
  return { login: text(form, 'login', 64), password };
}

/** What the operator got wrong in a form, per field name, in Russian. */
export type FieldErrors = Partial<Record<string, string>>;

/** A form sent back to the operator: which one, what was typed, and what is wrong with it. */
export interface RefusedForm {
  name: string;
  given: Form;
  errors: FieldErrors;
}

/** A form as read: its values, or the operator's slips to show next to the fields. */
export type FormReading<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

const COMMENT_ERROR = 'Напишите комментарий к решению (до 1000 знаков).';

/** A trimmed text field of 1 to `max` characters, or null (an operator's slip, not a forgery). */
function given(form: Form, field: string, max: number): string | null {
  const value = form[field];
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length === 0 || trimmed.length > max ? null : trimmed;
}

function reading<T>(errors: FieldErrors, value: () => T): FormReading<T> {
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: value() };
}

/**
 * The approve form: a comment, and the values as shown (prefilled with the submitted ones). Values
 * left as submitted approve the reading as it is; any change sends all zones as a correction.
 */
export function approveForm(
  form: Form,
  submitted: { zone: string; value: string }[],
): FormReading<{ comment: string; values?: { zone: string; value: string }[] }> {
  const comment = given(form, 'comment', 1000);
  const zones = ZONES.filter((z) => form[z] !== undefined);
  const values = zones.map((zone) => {
    const typed = form[zone];
    return { zone, value: typeof typed === 'string' ? normaliseDecimal(typed) : '' };
  });
  const unchanged =
    values.length === submitted.length &&
    values.every((g) => submitted.some((s) => s.zone === g.zone && s.value === g.value));
  const corrected = !unchanged && values.length > 0;
  const errors: FieldErrors = {};
  if (comment === null) errors.comment = COMMENT_ERROR;
  if (corrected)
    for (const v of values)
      if (v.value.length === 0 || v.value.length > 25)
        errors[v.zone] = 'Укажите показание зоны (до 25 знаков) или верните переданное.';
  // A zone sent twice is no value to decide on: neither the one shown nor the one typed.
  for (const zone of zones) if (typeof form[zone] !== 'string') errors[zone] = REPEATED_FIELD;
  return reading(errors, () =>
    corrected ? { comment: comment as string, values } : { comment: comment as string },
  );
}

/** The reject form: a comment and optionally one reason code (else the review reasons). */
export function rejectForm(form: Form): FormReading<{ comment: string; reasons?: ReasonCode[] }> {
  const reason = form.reason;
  const reasons = reason === undefined || reason === '' ? undefined : [reason as ReasonCode];
  if (reasons && !OPERATOR_REJECTION_CODES.includes(reasons[0]))
    throw new WebFormError('unknown rejection reason');
  const comment = given(form, 'comment', 1000);
  return reading(comment === null ? { comment: COMMENT_ERROR } : {}, () =>
    reasons ? { comment: comment as string, reasons } : { comment: comment as string },
  );
}

/** The "approve swapped" form of a suspected swap of cold and hot water: a comment. */
export function swapForm(form: Form): FormReading<{ comment: string }> {
  const comment = given(form, 'comment', 1000);
  return reading(comment === null ? { comment: COMMENT_ERROR } : {}, () => ({
    comment: comment as string,
  }));
}

/** The verification form of the meter page. */
export function verificationForm(form: Form): FormReading<{
  verifiedOn: string;
  intervalMonths: number;
  certificateNo: string;
}> {
  const verifiedOn = form.verifiedOn;
  const intervalMonths = plainNumber(form.intervalMonths, VERIFICATION_INTERVAL_MONTHS);
  const certificateNo = given(form, 'certificateNo', 64);
  const errors: FieldErrors = {};
  if (typeof verifiedOn !== 'string' || !isValidDate(verifiedOn))
    errors.verifiedOn = 'Укажите дату поверки полностью: день, месяц и год.';
  if (intervalMonths === null)
    errors.intervalMonths = `Укажите интервал цифрами: целое число месяцев от ${VERIFICATION_INTERVAL_MONTHS.min} до ${VERIFICATION_INTERVAL_MONTHS.max}.`;
  if (certificateNo === null) errors.certificateNo = 'Укажите номер свидетельства (до 64 знаков).';
  return reading(errors, () => ({
    verifiedOn: verifiedOn as string,
    intervalMonths: intervalMonths as number,
    certificateNo: certificateNo as string,
  }));
}

const AGE_HOURS = { min: 0, max: MAX_AGE_HOURS, fraction: true };
const QUEUE_PAGES = { min: 1, max: 99_999 };

/**
 * The queue's filters from the query string (or the bulk form's copy of them): each field, and the
 * ages, the least not above the most.
 */
export function queueFilters(query: Form): FilterReading<QueueFilters> {
  const fields = new QueryFields(query);
  const among = (allowed: readonly string[]) => (text: string) => allowed.includes(text);
  const hours = (text: string) => plainNumber(text, AGE_HOURS) !== null;
  const hoursError = `Укажите часы цифрами, от 0 до ${MAX_AGE_HOURS}, дробную часть — через точку.`;
  const page = fields.text(
    'page',
    (text) => plainNumber(text, QUEUE_PAGES) !== null,
    'Номер страницы (page) — целое число от 1 до 99999, цифрами.',
  );
  const minAgeHours = fields.text('minAgeHours', hours, hoursError);
  const maxAgeHours = fields.text('maxAgeHours', hours, hoursError);
  // An age not given, or refused, is null here.
  const [least, most] = [minAgeHours, maxAgeHours].map((text) => plainNumber(text, AGE_HOURS));
  if (least !== null && most !== null && least > most)
    fields.errors.maxAgeHours = 'Значение «Моложе, ч» не может быть меньше значения «Старше, ч».';
  return fields.reading({
    channel: fields.text('channel', among(CHANNELS), 'Выберите канал из списка.'),
    reason: fields.text('reason', among(REVIEW_CODES), 'Выберите причину из списка.'),
    minAgeHours,
    maxAgeHours,
    q: fields
      .text(
        'q',
        (text) => text.trim().length <= 32,
        'Лицевой счёт или номер прибора — не длиннее 32 знаков.',
      )
      .trim(),
    page: plainNumber(page, QUEUE_PAGES) ?? 1,
  });
}

/** What the operator left out of the bulk form, per field, in Russian. */
export interface BulkFormErrors {
  ids?: string;
  comment?: string;
}

/**
 * The queue's bulk form: the ticked items, approve or reject, and one comment. Nothing ticked or no
 * comment are the operator's slips, answered next to the fields; the rest only a forged form sends.
 */
export function bulkForm(
  form: Form,
):
  | { ok: true; ids: string[]; decision: 'approve' | 'reject'; comment: string }
  | { ok: false; errors: BulkFormErrors; ids: string[]; comment: string } {
  const decision = form.decision;
  if (decision !== 'approve' && decision !== 'reject')
    throw new WebFormError('decision must be approve or reject');
  const given = form.ids === undefined ? [] : [form.ids].flat();
  if (given.some((id) => typeof id !== 'string' || !isUuid(id)))
    throw new WebFormError('ids must be review item ids');
  const ids = [...new Set(given as string[])];
  if (ids.length > MAX_BULK_ITEMS)
    throw new WebFormError(`at most ${MAX_BULK_ITEMS} items at once`);
  const comment = typeof form.comment === 'string' ? form.comment.trim() : '';
  const errors: BulkFormErrors = {};
  if (ids.length === 0) errors.ids = 'Отметьте в таблице хотя бы одно показание.';
  if (comment.length === 0 || comment.length > 1000) errors.comment = COMMENT_ERROR;
  if (errors.ids || errors.comment) return { ok: false, errors, ids, comment };
  return { ok: true, ids, decision, comment };
}

/** The audit page's filters as given (empty when not), the dates Moscow days, both inclusive. */
export interface AuditFilters {
  login: string;
  action: string;
  from: string;
  to: string;
  /** Entries older than this id: the next page. */
  beforeId: string;
}

const DAY_ERROR = 'Укажите дату полностью: день, месяц и год.';

/** A range's days, `from` and `to`: each a whole date if given, the last not before the first. */
export function readDays(fields: QueryFields): { from: string; to: string } {
  const day = (name: string) =>
    fields.text(name, (text) => isValidDate(text.trim()), DAY_ERROR).trim();
  const [from, to] = [day('from'), day('to')];
  const { errors } = fields;
  if (!errors.from && !errors.to && from !== '' && to !== '' && daysBetween(from, to) < 0)
    errors.to = 'Дата «по» не может быть раньше даты «с».';
  return { from, to };
}

/** The audit page's filters from the query string: operator, action, Moscow days and page. */
export function auditFilters(query: Form): FilterReading<AuditFilters> {
  const fields = new QueryFields(query);
  const upTo = (max: number) => (text: string) => text.trim().length <= max;
  return fields.reading({
    login: fields.text('login', upTo(64), 'Логин оператора — не длиннее 64 знаков.').trim(),
    action: fields.text('action', upTo(48), 'Выберите действие из списка.').trim(),
    ...readDays(fields),
    beforeId: fields.text(
      'beforeId',
      (text) => AUDIT_ENTRY_ID.test(text),
      'Ссылка на более ранние записи (beforeId) неверна: откройте журнал заново.',
    ),
  });
}

/** What the estimates page and its file say of a period that is not a month. */
export const PERIOD_ERROR = 'Укажите месяц: год и месяц, например 2026-10.';

/** What the statistics page and its file say of a `month` that is none. */
export const MONTH_ERROR =
  'Месяц (month) указан неверно: год и месяц с 2000 по 2099, например 2026-10.';

/**
 * The estimates page's query: the billing period, by default the month before `today`'s (the
 * last one estimated), and where the page starts (after this serial).
 */
export function estimatesQuery(
  query: Form,
  today: CalendarDate,
): FilterReading<{ period: string; afterSerial: string }> {
  const fields = new QueryFields(query);
  const period = fields.text('period', isPeriod, PERIOD_ERROR);
  const afterSerial = fields.text(
    'afterSerial',
    (text) => text.length <= 32,
    'Ссылка на следующую страницу (afterSerial) неверна: откройте список заново.',
  );
  return fields.reading({
    period: period || addPeriods(formatPeriod(today.year, today.month), -1),
    afterSerial,
  });
}

/** The search's account number or meter serial. */
export function searchQuery(query: Form): FilterReading<{ q: string }> {
  const fields = new QueryFields(query);
  return fields.reading({ q: fields.text('q').trim() });
}
