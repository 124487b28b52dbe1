import { isIdempotencyKey } from '../readings/idempotency-key.decorator';
import { repeatedMeter } from '../readings/repeated-meter';
import type { FieldErrors } from './pages/layout.page';

type Form = Record<string, unknown>;

/** What the readings form needs to know of a meter: its zones and the digits of its register. */
export interface FormMeter {
  serial: string;
  zones: string[];
  integerDigits: number;
  fractionDigits: number;
  acceptsReadings: boolean;
}

export interface ReadingFormResult {
  readings: { meterSerial: string; values: { zone: string; value: string }[] }[];
  errors: FieldErrors;
  /** What was typed, by input name, to show again when the form is refused. */
  typed: Record<string, string>;
  /** The form's own key (`_key`), so that sending it again stores nothing twice; null without one. */
  idempotencyKey: string | null;
}

/** The name (and id) of the input of one zone of the i-th meter of the form. */
export const valueInput = (index: number, zone: string) => `v-${index}-${zone}`;
export const serialInput = (index: number) => `s-${index}`;
const SERIAL_INPUT = /^s-(\d+)$/;
const VALUE_INPUT = /^v-(\d+)-/;

const VALUE = /^(\d+)(?:[.,](\d*))?$/;
/**
 * The JSON API's limits (`\d{1,15}`, `\d{1,6}`), leading and trailing zeros included: both
 * channels refuse the same text.
 */
const MAX_TYPED_INTEGER_DIGITS = 15;
const MAX_TYPED_FRACTION_DIGITS = 6;
/** A refused value is shown again up to this length; it is always checked whole. */
const MAX_SHOWN_AGAIN = 40;

/**
 * Why a typed value does not fit the meter's register, in the words the centre uses; null when it
 * fits. A comma or a dot may separate the fraction, which may be left out ("whole part is enough").
 */
export function valueError(
  text: string,
  meter: Pick<FormMeter, 'integerDigits' | 'fractionDigits'>,
): string | null {
  const m = VALUE.exec(text);
  if (!m) return 'Введите число: только цифры и, если нужно, запятая перед дробной частью.';
  const integer = m[1].replace(/^0+(?=\d)/, '');
  if (m[1].length > MAX_TYPED_INTEGER_DIGITS || integer.length > meter.integerDigits)
    return `Слишком много цифр до запятой: у этого счётчика их не больше ${meter.integerDigits}. Ведущие нули можно не вводить.`;
  // Trailing zeros do not count, as leading ones do not: the rules read 123,450 as 123,45.
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if ((m[2] ?? '').length > MAX_TYPED_FRACTION_DIGITS || fraction.length > meter.fractionDigits)
    return meter.fractionDigits === 0
      ? 'У этого счётчика нет дробной части: введите целое число.'
      : `После запятой — не больше ${meter.fractionDigits} цифр, как на табло счётчика.`;
  return null;
}

/**
 * The readings form of an account: one input per zone of each meter. A meter whose inputs are all
 * empty is left out; one with some zones filled needs all of them. At least one meter is needed.
 * An input sent more than once arrives as a list (or an object, from `name[…]`): it is refused,
 * never taken for empty; so is a meter named by two rows, whose values would be one submission.
 * A row naming a meter the account no longer has, or past its meters, refuses the whole form, and
 * so does a value the form cannot place (a zone its meter no longer has, a row naming no meter):
 * dropped, it would be a reading lost from a form answered OK. A key sent twice or malformed
 * refuses it too: read as none, the form would lose its protection against being sent twice.
 * Format mistakes are answered here; the rules (not lower than last time, plausibility) are the
 * processor's, as for every channel.
 */
export function readingForm(form: Form, meters: FormMeter[]): ReadingFormResult {
  const errors: FieldErrors = {};
  const typed: Record<string, string> = {};
  const readings: ReadingFormResult['readings'] = [];
  const bySerial = new Map(meters.map((m) => [m.serial, m]));
  const named: string[] = [];
  /** The value inputs read, and the rows refused already (their values are not read). */
  const read = new Set<string>();
  const refusedRows = new Set<string>();
  for (let index = 0; index < meters.length; index += 1) {
    const serial = form[serialInput(index)];
    if (serial === undefined) continue;
    if (typeof serial !== 'string') {
      // The page puts the i-th meter's serial there: name that meter, the only one we know of.
      errors[''] = namedTwice(meters[index].serial);
      refusedRows.add(String(index));
      continue;
    }
    const meter = bySerial.get(serial);
    if (!meter || !meter.acceptsReadings) {
      errors[''] = listChanged;
      refusedRows.add(String(index));
      continue;
    }
    named.push(meter.serial);
    const entered = meter.zones.map((zone) => {
      const name = valueInput(index, zone);
      read.add(name);
      const raw = form[name];
      const repeated = raw !== undefined && typeof raw !== 'string';
      const text = typeof raw === 'string' ? raw.trim() : '';
      typed[name] = text.slice(0, MAX_SHOWN_AGAIN);
      return { zone, name, text, repeated };
    });
    if (entered.every((e) => e.text === '' && !e.repeated)) continue;
    for (const e of entered) {
      const problem = e.repeated
        ? 'Показание этой зоны пришло несколько раз. Введите его заново.'
        : e.text === ''
          ? 'Введите показание и этой зоны: показания передаются сразу по всем зонам счётчика.'
          : valueError(e.text, meter);
      if (problem) errors[e.name] = problem;
    }
    readings.push({
      meterSerial: meter.serial,
      // On the wire a dot, and no dangling separator: "123," is 123.
      values: entered.map((e) => ({
        zone: e.zone,
        value: e.text.replace(',', '.').replace(/\.$/, ''),
      })),
    });
  }
  // A row past the meters the account has now: a meter of the page has left the account since.
  if (Object.keys(form).some((name) => Number(SERIAL_INPUT.exec(name)?.[1] ?? -1) >= meters.length))
    errors[''] = listChanged;
  // An input left empty loses nothing: the page may still show a zone the registry dropped.
  const unread = ([name, value]: [string, unknown]) => {
    const row = VALUE_INPUT.exec(name)?.[1];
    return (
      row !== undefined &&
      !refusedRows.has(row) &&
      !read.has(name) &&
      !(typeof value === 'string' && value.trim() === '')
    );
  };
  if (Object.entries(form).some(unread)) errors[''] = listChanged;
  const repeated = repeatedMeter(named);
  if (repeated !== null) errors[''] = namedTwice(repeated);
  if (readings.length === 0 && !errors[''])
    errors[''] = 'Введите показания хотя бы одного счётчика.';
  const key = form._key;
  const idempotencyKey = isIdempotencyKey(key) ? key : null;
  if (key !== undefined && idempotencyKey === null)
    errors[''] = 'Форма повреждена. Обновите страницу и введите показания заново.';
  return {
    readings: Object.keys(errors).length > 0 ? [] : readings,
    errors,
    typed,
    idempotencyKey,
  };
}

const listChanged = 'Список счётчиков изменился. Обновите страницу и введите показания заново.';
const namedTwice = (serial: string) =>
  `Счётчик ${serial} указан в форме несколько раз. Обновите страницу и введите показания заново.`;
