import type { OutcomeStatus, ReasonCode, Resource, WarningCode } from '@gw/contracts';
import type { IsoDate } from './moscow-time';
import type { VerificationStanding } from './meter-standing';

/**
 * What a resident is told, in Russian, next to every code the gateway uses (contract sections 2
 * and 3). The wording follows the settlement centre's own guidance to residents (domain.md).
 * Typed as total records, so a new code does not compile until it has its text.
 */
export const STATUS_TEXTS_RU: Record<OutcomeStatus, string> = {
  accepted: 'Показания приняты.',
  rejected: 'Показания не приняты.',
  needs_review: 'Показания проверяет оператор.',
  duplicate:
    'Такие же показания уже приняты в этом расчётном периоде, повторно они не учитываются.',
};

export const REASON_TEXTS_RU: Record<ReasonCode, string> = {
  UNKNOWN_ACCOUNT:
    'Лицевой счёт не найден. Проверьте номер лицевого счёта по платёжному документу (ЕПД).',
  UNKNOWN_METER: 'Счётчик с таким заводским номером не найден. Проверьте номер счётчика.',
  METER_NOT_ON_ACCOUNT: 'Этот счётчик не относится к вашему лицевому счёту.',
  METER_DECOMMISSIONED: 'Счётчик выведен из эксплуатации, показания по нему не принимаются.',
  VERIFICATION_EXPIRED:
    'Срок поверки счётчика истёк, поэтому показания не принимаются, пока счётчик не будет поверен. ' +
    'До поверки начисления рассчитываются по среднему потреблению, затем по нормативу.',
  ZONES_MISMATCH:
    'Показания переданы не для тех тарифных зон. Передайте показания каждой зоны счётчика: ' +
    'Т1 — день (или единый тариф), Т2 — ночь, Т3 — пик/полупик.',
  VALUE_FORMAT:
    'Показание записано неверно: нужно число, в котором цифр не больше, чем на табло счётчика. ' +
    'Достаточно целой части (до запятой).',
  VALUE_DECREASED:
    'Показание меньше предыдущего принятого. Новые показания не могут быть меньше прежних — ' +
    'проверьте цифры и не перепутайте холодную и горячую воду.',
  READ_IN_FUTURE: 'Дата снятия показаний ещё не наступила.',
  READ_TOO_OLD:
    'Показания устарели: они сняты раньше последних принятых или более трёх месяцев назад.',
  VERIFICATION_FAILED:
    'По результатам поверки счётчик признан непригодным (запись во ФГИС «Аршин»), поэтому ' +
    'показания не принимаются. Замените или отремонтируйте счётчик и поверьте его заново.',
  CONSUMPTION_SPIKE:
    'Расход намного больше обычного. Показания проверит оператор, результат появится в истории.',
  LOW_CONFIDENCE:
    'Показания с бланка распознаны неуверенно. Их проверит оператор, результат появится в истории.',
  SUSPECTED_SWAP:
    'Возможно, перепутаны показания холодной и горячей воды. Их проверит оператор, ' +
    'результат появится в истории.',
};

export const WARNING_TEXTS_RU: Record<WarningCode, string> = {
  VERIFICATION_DUE_SOON:
    'Срок поверки счётчика истекает в ближайшие 30 дней. Закажите поверку заранее: ' +
    'после этого срока показания не будут приниматься.',
  ROLLOVER:
    'Табло счётчика перешло через ноль и начало отсчёт заново; расход рассчитан с учётом этого.',
  OUTSIDE_WINDOW:
    'Показания переданы вне периода приёма и будут учтены в следующем расчётном периоде.',
};

export const RESOURCE_TEXTS_RU: Record<Resource, string> = {
  cold_water: 'Холодная вода',
  hot_water: 'Горячая вода',
  electricity: 'Электроэнергия',
  gas: 'Газ',
  heat: 'Тепловая энергия',
};

/** A date as Russian documents write it: `2030-01-10` as `10.01.2030`. */
export const russianDate = (date: IsoDate) => date.split('-').reverse().join('.');

/**
 * What the meters page says about a meter's verification (поверка): nothing while it is valid, a
 * reminder when it is due soon, and a plain refusal when it expired, the meter was found unfit
 * (from `unfitSince`) or it was removed.
 */
export function verificationNoticeRu(
  status: VerificationStanding,
  dueOn: IsoDate,
  decommissionedOn: IsoDate | null,
  unfitSince: IsoDate | null = null,
): string | null {
  switch (status) {
    case 'valid':
      return null;
    case 'due_soon':
      return (
        `Срок поверки счётчика истекает ${russianDate(dueOn)}. Закажите поверку заранее: ` +
        'после этой даты показания не будут приниматься.'
      );
    case 'expired':
      return (
        `Срок поверки счётчика истёк ${russianDate(dueOn)}. Показания этого счётчика не будут ` +
        'приняты, пока он не будет поверен. До поверки начисления рассчитываются по среднему ' +
        'потреблению, затем по нормативу с повышающим коэффициентом.'
      );
    case 'unfit':
      return (
        `Счётчик непригоден: поверка ${unfitSince ? `${russianDate(unfitSince)} ` : ''}признала его ` +
        'непригодным к применению. Показания этого счётчика не принимаются, пока он не будет ' +
        'заменён или отремонтирован и поверен. До этого начисления рассчитываются по среднему ' +
        'потреблению, затем по нормативу с повышающим коэффициентом.'
      );
    case 'decommissioned':
      return `Счётчик выведен из эксплуатации${decommissionedOn ? ` ${russianDate(decommissionedOn)}` : ''}, показания по нему не принимаются.`;
  }
}

/** What a verification reminder (60 or 30 days ahead, or on the due day) tells the resident. */
export function verificationReminderRu(daysLeft: number, dueOn: IsoDate): string {
  const when =
    daysLeft === 0
      ? `истекает сегодня, ${russianDate(dueOn)}`
      : `истекает через ${daysLeft} дней, ${russianDate(dueOn)}`;
  return (
    `Срок поверки счётчика ${when}. После этой даты его показания не принимаются, а начисления ` +
    'рассчитываются по среднему потреблению, затем по нормативу с повышающим коэффициентом. ' +
    'Закажите поверку в аккредитованной организации: её результат появится во ФГИС «Аршин».'
  );
}

/** The months in Russian, as a period is named on a payment document: `ноябрь 2026`. */
export const MONTH_NAMES_RU = [
  'январь',
  'февраль',
  'март',
  'апрель',
  'май',
  'июнь',
  'июль',
  'август',
  'сентябрь',
  'октябрь',
  'ноябрь',
  'декабрь',
] as const;
