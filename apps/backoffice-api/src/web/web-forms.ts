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

/**
 * The approve form: a comment, and the values as shown (prefilled with the submitted ones). Values
 * left as submitted approve the reading as it is; any change sends all zones as a correction.
 */
export function approveForm(
  form: Form,
  submitted: { zone: string; value: string }[],
): { comment: string; values?: { zone: string; value: string }[] } {
  const comment = text(form, 'comment', 1000);
  const given = ZONES.filter((z) => typeof form[z] === 'string').map((zone) => ({
    zone,
    value: normaliseDecimal(form[zone] as string),
  }));
  const unchanged =
    given.length === submitted.length &&
    given.every((g) => submitted.some((s) => s.zone === g.zone && s.value === g.value));
  if (unchanged || given.length === 0) return { comment };
  if (given.some((g) => g.value.length === 0 || g.value.length > 25))
    throw new WebFormError('every zone needs a value of at most 25 characters');
  return { comment, values: given };
}

/** The reject form: a comment and optionally one reason code (else the review reasons). */
export function rejectForm(form: Form): { comment: string; reasons?: ReasonCode[] } {
  const comment = text(form, 'comment', 1000);
  const reason = form.reason;
  if (reason === undefined || reason === '') return { comment };
  if (!OPERATOR_REJECTION_CODES.includes(reason as ReasonCode))
    throw new WebFormError('unknown rejection reason');
  return { comment, reasons: [reason as ReasonCode] };
}

/** The "approve swapped" form of a suspected swap of cold and hot water: a comment. */
export function swapForm(form: Form): { comment: string } {
  return { comment: text(form, 'comment', 1000) };
}

/** The verification form of the meter page. */
export function verificationForm(form: Form): {
  verifiedOn: string;
  intervalMonths: number;
  certificateNo: string;
} {
  const verifiedOn = form.verifiedOn;
  if (typeof verifiedOn !== 'string' || !isValidDate(verifiedOn))
    throw new WebFormError('verifiedOn must be a date YYYY-MM-DD');
  const intervalMonths = Number(form.intervalMonths);
  if (!Number.isInteger(intervalMonths) || intervalMonths < 1 || intervalMonths > 240)
    throw new WebFormError('intervalMonths must be 1 to 240');
  return { verifiedOn, intervalMonths, certificateNo: text(form, 'certificateNo', 64) };
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
  if (comment.length === 0 || comment.length > 1000)
    errors.comment = 'Напишите комментарий к решению (до 1000 знаков).';
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
