import { CHANNELS, normaliseDecimal, type ReasonCode, REVIEW_CODES, ZONES } from '@gw/contracts';
import { isValidDate, OPERATOR_REJECTION_CODES } from '@gw/domain';
import { BackofficeError } from '../backoffice.errors';
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
  return {
    channel: pick(query.channel, CHANNELS),
    reason: pick(query.reason, REVIEW_CODES),
    minAgeHours: hours(query.minAgeHours),
    maxAgeHours: hours(query.maxAgeHours),
  };
}
