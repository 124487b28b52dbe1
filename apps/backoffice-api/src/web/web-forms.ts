import {
  CHANNELS,
  isUuid,
  normaliseDecimal,
  type ReasonCode,
  REVIEW_CODES,
  ZONES,
} from '@gw/contracts';
import { daysBetween, isValidDate, OPERATOR_REJECTION_CODES } from '@gw/domain';
import { BackofficeError } from '../backoffice.errors';
import { MAX_BULK_ITEMS } from '../review/decide-review-items.use-case';
import type { QueueFilters } from './pages/review-queue.page';

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
  const values = ZONES.filter((z) => typeof form[z] === 'string').map((zone) => ({
    zone,
    value: normaliseDecimal(form[zone] as string),
  }));
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
  const intervalMonths = Number(form.intervalMonths);
  const certificateNo = given(form, 'certificateNo', 64);
  const errors: FieldErrors = {};
  if (typeof verifiedOn !== 'string' || !isValidDate(verifiedOn))
    errors.verifiedOn = 'Укажите дату поверки полностью: день, месяц и год.';
  if (!Number.isInteger(intervalMonths) || intervalMonths < 1 || intervalMonths > 240)
    errors.intervalMonths = 'Укажите интервал целым числом месяцев от 1 до 240.';
  if (certificateNo === null) errors.certificateNo = 'Укажите номер свидетельства (до 64 знаков).';
  return reading(errors, () => ({
    verifiedOn: verifiedOn as string,
    intervalMonths,
    certificateNo: certificateNo as string,
  }));
}

const hours = (value: unknown) =>
  typeof value === 'string' && /^\d{1,5}(\.\d{1,3})?$/.test(value) ? value : '';

/** The queue's filters from the query string; anything unusable counts as not given. */
export function queueFilters(query: Form): QueueFilters {
  const pick = (value: unknown, allowed: readonly string[]) =>
    typeof value === 'string' && allowed.includes(value) ? value : '';
  const q = typeof query.q === 'string' ? query.q.trim() : '';
  const page =
    typeof query.page === 'string' && /^[1-9]\d{0,4}$/.test(query.page) ? query.page : '1';
  return {
    channel: pick(query.channel, CHANNELS),
    reason: pick(query.reason, REVIEW_CODES),
    minAgeHours: hours(query.minAgeHours),
    maxAgeHours: hours(query.maxAgeHours),
    q: q.length <= 32 ? q : '',
    page: Number(page),
  };
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

/** A date range of two fields, and what is wrong with them in Russian, per field. */
export interface RangeErrors {
  from?: string;
  to?: string;
}

/** Each day given must be a whole date, and the last not before the first. */
export function dateRangeErrors(from: string, to: string): RangeErrors {
  const errors: RangeErrors = {};
  if (from !== '' && !isValidDate(from)) errors.from = 'Укажите дату полностью: день, месяц и год.';
  if (to !== '' && !isValidDate(to)) errors.to = 'Укажите дату полностью: день, месяц и год.';
  if (!errors.from && !errors.to && from !== '' && to !== '' && daysBetween(from, to) < 0)
    errors.to = 'Дата «по» не может быть раньше даты «с».';
  return errors;
}

/** The audit page's filters from the query string, and the dates the operator got wrong. */
export function auditFilters(query: Form): { filters: AuditFilters; errors: RangeErrors } {
  const field = (name: string, max: number) => {
    const value = query[name];
    return typeof value === 'string' && value.trim().length <= max ? value.trim() : '';
  };
  const beforeId = field('beforeId', 18);
  const filters = {
    login: field('login', 64),
    action: field('action', 48),
    from: field('from', 10),
    to: field('to', 10),
    beforeId: /^[1-9]\d{0,17}$/.test(beforeId) ? beforeId : '',
  };
  return { filters, errors: dateRangeErrors(filters.from, filters.to) };
}
