import type { FieldErrors } from './web-forms';

/** What a page says of a field sent more than once (`q=1&q=2`) or nested (`q[a]=1`). */
export const REPEATED_FIELD = 'Поле передано несколько раз: укажите одно значение.';

/**
 * A refused text is shown again up to this many characters, then cut and marked with an
 * ellipsis: more than any filter takes (64), so what is shown never passes for a usable value.
 */
const MAX_SHOWN_AGAIN = 100;

/** A page's filters from its query: the page acts on them only when `ok`, else shows them again. */
export interface FilterReading<T> {
  ok: boolean;
  /** As read; where a field was refused, its text as typed, for display only. */
  filters: T;
  errors: FieldErrors;
}

/** A refused field's text as the page shows it again; it was checked whole. */
export function shownAgain(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.length > MAX_SHOWN_AGAIN ? `${value.slice(0, MAX_SHOWN_AGAIN)}…` : value;
}

/**
 * A page's query (or form) read field by field, with each field's slip kept under its name. A
 * field absent, empty or blank is not given, as a form sends one left blank; given once, its text
 * must pass the field's check; sent more than once or nested, it is refused, never taken for not
 * given.
 */
export class QueryFields {
  readonly errors: FieldErrors = {};

  constructor(private readonly query: Record<string, unknown>) {}

  /** The field's text ('' when not given); refused with `message` when it fails `check`. */
  text(name: string, check: (text: string) => boolean = () => true, message = ''): string {
    const value = this.query[name];
    if (value === undefined || (typeof value === 'string' && value.trim() === '')) return '';
    const error = typeof value !== 'string' ? REPEATED_FIELD : check(value) ? null : message;
    if (error === null) return value as string;
    this.errors[name] = error;
    return shownAgain(value);
  }

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  reading<T>(filters: T): FilterReading<T> {
    return { ok: this.ok, filters, errors: this.errors };
  }
}
